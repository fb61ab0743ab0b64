import Foundation
import Imaging
import MIQA

/// One `miqa video analyze` run: every input analysed (videos sampled and aggregated per
/// second, images scored as images), a summary printed, the original's JSON and charts written.
/// A failing input is reported and the others go on.
public struct AnalyzeJob {
    public var inputs: [String]
    /// Frames sampled per video.
    public var frames = 50
    public var granularity: ChartGranularity = .second
    /// JSON destination; "-" for standard output; nil for none.
    public var output: String?
    /// Folder for the charts; nil for none.
    public var plotDirectory: String?
    public var showProgress = true
    public var batchSize = 8
    /// Print the share of wall time spent in the model on stderr.
    public var timing = false

    public init(inputs: [String]) { self.inputs = inputs }

    /// Counts of a finished run.
    public struct Outcome: Sendable {
        public var analysed = 0
        public var failed = 0
    }

    public func run(predictor: Predictor) throws -> Outcome {
        let items = MediaInputs.expand(inputs)
        let analyzer = VideoAnalyzer(scorer: predictor, framesPerVideo: frames, batchSize: batchSize)
        let task = predictor.card.task ?? "cls"
        let label = predictor.card.label ?? "composite"
        if let plotDirectory {
            try FileManager.default.createDirectory(atPath: plotDirectory, withIntermediateDirectories: true)
        }
        // The summary goes to stdout unless the JSON does.
        let say: (String) -> Void = output == "-" ? { printToStderr($0) } : { print($0) }
        var outcome = Outcome()
        var predictions: [JSONValue] = []
        for item in items {
            switch item {
            case .problem(let path, let reason):
                printToStderr("error: \(path): \(reason)")
                predictions.append(VideoReport.failure(path: path, error: reason))
                outcome.failed += 1
            case .image(let path):
                let result = scoreImage(path, predictor: predictor)
                predictions.append(VideoReport.image(result))
                if let e = result.error {
                    printToStderr("error: \(path): \(e)")
                    outcome.failed += 1
                } else {
                    say(String(format: "%@: quality %.4f (image)", result.name, result.score ?? .nan))
                    outcome.analysed += 1
                }
            case .video(let path):
                // The bar is made on the first batch, when the number of sampled frames is known.
                var bar: ProgressBar?
                var reported = 0
                let start = Date()
                do {
                    let analysis = try analyzer.analyze(path) { done, total in
                        if bar == nil { bar = ProgressBar(total: total, label: (path as NSString).lastPathComponent, enabled: showProgress) }
                        bar?.advance(by: done - reported)
                        reported = done
                    }
                    bar?.finish()
                    for w in analysis.warnings { printToStderr("warning: \(path): \(w)") }
                    predictions.append(VideoReport.json(analysis))
                    summary(analysis).forEach(say)
                    if timing {
                        let wall = Date().timeIntervalSince(start)
                        printToStderr(String(format: "timing: %@: %.2f s wall, %.2f s in the model (%.1f%% outside it), %.1f frames/s",
                                             analysis.name, wall, analyzer.inferenceSeconds,
                                             100 * (wall - analyzer.inferenceSeconds) / wall, Double(analysis.frames.count) / wall))
                    }
                    if let plotDirectory {
                        let file = (plotDirectory as NSString).appendingPathComponent(
                            VideoChart.fileName(videoName: analysis.name, label: label, granularity: granularity))
                        try VideoChart.render(analysis, task: task, granularity: granularity).pngData()
                            .write(to: URL(fileURLWithPath: file), options: .atomic)
                        say("  chart: \(file)")
                    }
                    outcome.analysed += 1
                } catch {
                    bar?.finish()
                    printToStderr("error: \(path): \(error)")
                    predictions.append(VideoReport.failure(path: path, error: "\(error)"))
                    outcome.failed += 1
                }
            }
        }
        if let output {
            let text = VideoReport.document(card: predictor.card, predictions: predictions).rendered() + "\n"
            // Failures name the destination (FileHandle.write(_:) would trap on a full disk).
            if output == "-" {
                do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch {
                    throw VideoError("standard output: cannot write: \(writeReason(error))")
                }
            } else {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                    throw VideoError("\(output): cannot write: \(writeReason(error))")
                }
                say("results: \(output)")
            }
        }
        return outcome
    }

    /// A write error in words ("No space left on device"), not Foundation's generic sentence.
    private func writeReason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(ns.code))) : "\(error)"
    }

    private func scoreImage(_ path: String, predictor: Predictor) -> ImageScore {
        do {
            let image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: path))
            return ImageScore(path: path, score: predictor.scores([image])[0])
        } catch {
            return ImageScore(path: path, score: nil, error: ImageScore.reason(error, path: path))
        }
    }

    /// The original's per-video summary lines.
    func summary(_ a: VideoAnalysis) -> [String] {
        [a.name + ":",
         String(format: "  duration %.1f s, %d frames at %.3f fps, %dx%d", a.info.duration, a.info.frameCount, a.info.fps,
                a.info.width, a.info.height),
         "  frames analysed \(a.frames.count), seconds \(a.seconds.count)",
         String(format: "  average quality (per-second) %.4f, range [%.4f, %.4f], std %.4f",
                a.summary.average, a.summary.min, a.summary.max, a.summary.std)]
    }
}

/// Writes a line to standard error.
func printToStderr(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
