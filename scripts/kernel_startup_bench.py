#!/usr/bin/python3
"""Starts a Jupyter kernel N times and counts the starts that hang.

Each start: launch the kernel from its kernelspec (found through JUPYTER_PATH), wait for the
kernel_info reply (the handshake every front end does), run one cell, check the heartbeat, then ask
the kernel to shut down over the control channel. A start "hangs" when the kernel_info reply or the
cell's reply does not come within --timeout seconds; a shutdown is "unclean" when the kernel has to
be killed because it ignored the shutdown request.

Usage: JUPYTER_PATH=DIR /usr/bin/python3 scripts/kernel_startup_bench.py --kernel A [--kernel B] [--starts 50]
(scripts/kernel-startup-bench.sh sets up the stock and the RunKit kernelspecs and calls this.)
"""
import argparse
import math
import os
import tempfile
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def one_start(name, timeout, code, log_path):
    km = KernelManager(kernel_name=name)
    km.shutdown_wait_time = 5.0
    t0 = time.monotonic()
    log = open(log_path, "w")
    km.start_kernel(stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    result = {"ready_s": None, "cell": False, "heartbeat": False, "clean_shutdown": False,
              "died": False}
    try:
        try:
            kc.wait_for_ready(timeout=timeout)
            result["ready_s"] = time.monotonic() - t0
        except RuntimeError:
            # a kernel that exited (bad classpath, crash) is not a start-up hang: count it apart
            result["died"] = not km.is_alive()
            return result
        msg_id = kc.execute(code)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:
                break
            if reply["parent_header"].get("msg_id") == msg_id:
                result["cell"] = reply["content"].get("status") == "ok"
                break
        time.sleep(2.0)  # let the heartbeat channel exchange a few pings
        result["heartbeat"] = kc.hb_channel.is_beating()
    finally:
        kc.stop_channels()
        t1 = time.monotonic()
        km.shutdown_kernel(now=False)
        # jupyter_client kills the kernel after shutdown_wait_time when it ignores the request
        result["clean_shutdown"] = (time.monotonic() - t1) < km.shutdown_wait_time
        if km.has_kernel:
            km.kill_kernel()
        log.close()
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True, action="append",
                    help="kernel name; repeat to alternate several kernels start by start, so they"
                         " are measured under the same machine load")
    ap.add_argument("--starts", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--code", default="1 + 1")
    ap.add_argument("--logs", default=None, help="folder for each start's kernel log")
    args = ap.parse_args()
    results = {k: [] for k in args.kernel}
    log_dir = args.logs or tempfile.mkdtemp(prefix="kernel-starts-")
    os.makedirs(log_dir, exist_ok=True)
    print("kernel logs in %s" % log_dir, flush=True)
    for i in range(args.starts):
        for k in args.kernel:
            log = os.path.join(log_dir, "%s-%02d.log" % (k, i + 1))
            r = one_start(k, args.timeout, args.code, log)
            results[k].append(r)
            state = "ok" if r["ready_s"] is not None and r["cell"] else ("DIED" if r["died"] else "HANG")
            ready = "-" if r["ready_s"] is None else "%.2f" % r["ready_s"]
            print(
                "%s start %2d: %s ready=%ss cell=%s heartbeat=%s clean_shutdown=%s"
                % (k, i + 1, state, ready, r["cell"], r["heartbeat"], r["clean_shutdown"]),
                flush=True,
            )
    print()
    print("| kernel | starts | hangs | died | median ready (s) | p95 ready (s) | heartbeat alive | clean shutdown |")
    print("|---|---|---|---|---|---|---|---|")
    for k, rs in results.items():
        ok = [r for r in rs if r["ready_s"] is not None and r["cell"]]
        died = sum(1 for r in rs if r["died"])
        hangs = len(rs) - len(ok) - died
        ready = sorted(r["ready_s"] for r in ok)
        median = statistics.median(ready) if ready else float("nan")
        p95 = ready[max(0, math.ceil(0.95 * len(ready)) - 1)] if ready else float("nan")
        hb = sum(1 for r in rs if r["heartbeat"])
        clean = sum(1 for r in rs if r["clean_shutdown"])
        print(
            "| %s | %d | %d (%.0f%%) | %d | %.2f | %.2f | %d/%d | %d/%d |"
            % (k, len(rs), hangs, 100.0 * hangs / len(rs), died, median, p95,
               hb, len(rs), clean, len(rs))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
