package io.galapagos.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Writes the HTML report of a search's output folder, or of a {@code galapagos bench} JSON file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML file (opens offline) with the charts of a search: best so far, "
                + "accuracy against cost, the executor timeline, which choices matter, the leaderboard and the "
                + "configuration; or, given a bench JSON file, each strategy's curve with its spread.")
final class ReportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "OUTPUT",
            description = "A search's output folder, or the JSON file of galapagos bench --json (local path or URI).")
    String source;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the report (default: report.html in the output folder, or the bench "
                    + "file's name with .html).")
    String out;

    @Override
    public Integer call() throws IOException {
        Configuration hadoop = HadoopFileSystems.configuration();
        Path path = RunOutput.location(source);
        FileStatus status;
        FileSystem fs;
        try {
            fs = HadoopFileSystems.of(path, hadoop);
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new OutputException(source, "does not exist");
        } catch (IOException e) {
            throw OutputException.unusable(source, e);
        }
        String html;
        Path target;
        if (status.isFile()) {
            html = HtmlReport.ofBench(readBench(fs, path), source);
            target = out != null ? RunOutput.location(out)
                    : new Path(path.getParent(), path.getName().replaceFirst("\\.json$", "") + ".html");
        } else {
            RunOutput output = RunOutput.read(source, hadoop);
            html = HtmlReport.ofSearch(output);
            target = out != null ? RunOutput.location(out) : new Path(output.folder(), HtmlReport.FILE);
        }
        SingleFile.write(target.toString(), html, hadoop, ".html");
        System.out.println("Report: " + target + " (" + Math.round(html.length() / 1024.0) + " KiB)");
        return 0;
    }

    private JsonNode readBench(FileSystem fs, Path path) throws IOException {
        JsonNode bench;
        try (FSDataInputStream in = fs.open(path)) {
            bench = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutputException(source, "is neither a search's output folder nor readable JSON");
        }
        if (bench == null || !bench.path("strategies").isArray() || bench.path("strategies").isEmpty()) {
            throw new OutputException(source, "is JSON but not galapagos bench's (it lists no strategies)");
        }
        return bench;
    }
}
