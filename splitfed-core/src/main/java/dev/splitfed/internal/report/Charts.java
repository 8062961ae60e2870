package dev.splitfed.internal.report;

import dev.splitfed.data.ClassHistogram;
import dev.splitfed.scheme.RoundMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Renders a run's figures as PNG images with JFreeChart. */
public final class Charts {

    /** Width of every chart in pixels. */
    public static final int WIDTH = 800;

    /** Height of every chart in pixels. */
    public static final int HEIGHT = 450;

    /** At most this many clients appear in a histogram chart. */
    public static final int MAX_HISTOGRAM_CLIENTS = 50;

    /** Each scheme keeps its colour in every chart, whichever runs a chart shows. */
    private static final Map<String, Color> SCHEME_COLOURS = Map.of(
            "central", new Color(0x55, 0x55, 0x55),
            "fl", new Color(0x1f, 0x77, 0xb4),
            "sl", new Color(0x2c, 0xa0, 0x2c),
            "sflv1", new Color(0xff, 0x7f, 0x0e),
            "sflv2", new Color(0x94, 0x67, 0xbd));

    private static final Color[] PALETTE = {
        new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28), new Color(0x2c, 0xa0, 0x2c),
        new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)
    };

    /** Dash patterns by series: lines that coincide (sflv1 reproduces fl exactly) stay visible. */
    private static final float[][] DASHES = {null, {8f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

    private Charts() {}

    /**
     * Returns test accuracy against round, one line per run.
     *
     * @param runs label (e.g. the scheme) to that run's rounds
     * @return a PNG image
     */
    public static byte[] accuracyByRound(Map<String, List<RoundMetrics>> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        runs.forEach((label, rounds) -> {
            XYSeries s = new XYSeries(label);
            rounds.forEach(m -> s.add(m.round(), m.testAccuracy()));
            data.addSeries(s);
        });
        return png(lines("Test accuracy by round", "round", "test accuracy", data, false));
    }

    /**
     * Returns test loss and training loss against round, for one run.
     *
     * @param rounds the run's rounds
     * @return a PNG image
     */
    public static byte[] lossByRound(List<RoundMetrics> rounds) {
        XYSeries test = new XYSeries("test loss");
        XYSeries train = new XYSeries("train loss");
        for (RoundMetrics m : rounds) {
            test.add(m.round(), m.testLoss());
            train.add(m.round(), m.trainLoss());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(test);
        data.addSeries(train);
        return png(lines("Loss by round", "round", "cross-entropy", data, false));
    }

    /**
     * Returns test accuracy against the bytes communicated so far (log scale), one line per run;
     * runs that communicate nothing (central) are left out.
     *
     * @param runs label to that run's rounds
     * @return a PNG image
     */
    public static byte[] accuracyByBytes(Map<String, List<RoundMetrics>> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        runs.forEach((label, rounds) -> {
            XYSeries s = new XYSeries(label);
            long cumulative = 0;
            for (RoundMetrics m : rounds) {
                cumulative += m.bytes();
                if (cumulative > 0) {
                    s.add(cumulative / 1e6, m.testAccuracy());
                }
            }
            if (s.getItemCount() > 0) {
                data.addSeries(s);
            }
        });
        return png(lines("Test accuracy by communication", "cumulative MB (log scale)", "test accuracy", data, true));
    }

    /**
     * Returns the samples of each class each client holds, as stacked bars.
     *
     * @param histogram the per-client class counts
     * @param classNames one name per class
     * @return a PNG image
     */
    public static byte[] classHistogram(ClassHistogram histogram, List<String> classNames) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int clients = Math.min(histogram.clients(), MAX_HISTOGRAM_CLIENTS);
        for (int k = 0; k < clients; k++) {
            for (int c = 0; c < histogram.numClasses(); c++) {
                data.addValue(histogram.count(k, c), classNames.get(c), Integer.toString(k));
            }
        }
        String title = histogram.clients() > clients
                ? "Samples per class, first " + clients + " of " + histogram.clients() + " clients"
                : "Samples per class and client";
        JFreeChart chart = ChartFactory.createStackedBarChart(
                title, "client", "samples", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return png(chart);
    }

    private static JFreeChart lines(String title, String x, String y, XYSeriesCollection data, boolean logX) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            float[] dash = DASHES[i % DASHES.length];
            renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, dash, 0f));
            String label = data.getSeriesKey(i).toString();
            renderer.setSeriesPaint(i, SCHEME_COLOURS.getOrDefault(label, PALETTE[i % PALETTE.length]));
        }
        plot.setRenderer(renderer);
        if (logX) {
            LogAxis axis = new LogAxis(x);
            axis.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            plot.setDomainAxis(axis);
        } else {
            NumberAxis axis = (NumberAxis) plot.getDomainAxis();
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    private static byte[] png(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
