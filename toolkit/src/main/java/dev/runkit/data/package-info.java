/** Small bundled data sets (digits, iris) and the plumbing that turns them into DJL datasets. */
package dev.runkit.data;
