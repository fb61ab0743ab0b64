import Foundation
import MIQA

/// One `miqa video annotate` run: each input video gets an annotated copy in the output folder;
/// a failing input is reported and the others go on.
///
/// An annotated file appears only complete (`VideoAnnotator` renames it into place at the end).
/// A run that was killed leaves its hidden partial file, `.<name>.partial-<pid>.mp4`; the next
/// run for that output removes the ones whose process is gone before it starts.
public struct AnnotateJob {
    public var inputs: [String]
    public var outputDirectory = "."
    public var every = 1
    public var batchSize = 8
    public var showProgress = true

    public init(inputs: [String]) { self.inputs = inputs }

    /// Counts of a finished run.
    public struct Outcome: Sendable {
        public var written = 0
        public var failed = 0
    }

    public func run(predictor: Predictor) throws -> Outcome {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let annotator = VideoAnnotator(predictor: predictor, every: every, batchSize: batchSize)
        var outcome = Outcome()
        for item in MediaInputs.expand(inputs) {
            let path: String
            switch item {
            case .problem(let p, let reason):
                printToStderr("error: \(p): \(reason)")
                outcome.failed += 1
                continue
            case .image(let p):
                printToStderr("error: \(p): an image, not a video (score images with `miqa score`)")
                outcome.failed += 1
                continue
            case .video(let p):
                path = p
            }
            let output = VideoAnnotator.outputPath(for: path, in: outputDirectory)
            AnnotateJob.removeStalePartials(of: output)
            var bar: ProgressBar?
            var reported = 0
            do {
                let result = try annotator.annotate(path, to: output) { done, total in
                    if bar == nil { bar = ProgressBar(total: total, label: (path as NSString).lastPathComponent, enabled: showProgress) }
                    bar?.advance(by: done - reported)
                    reported = done
                }
                bar?.finish()
                for w in result.warnings { printToStderr("warning: \(path): \(w)") }
                print(String(format: "%@ -> %@: %d frames (%d scored) in %.1f s, %.1f frames/s", path, result.output,
                             result.frames, result.scored, result.seconds, result.framesPerSecond))
                outcome.written += 1
            } catch {
                bar?.finish()
                printToStderr("error: \(path): \(error)")
                outcome.failed += 1
            }
        }
        return outcome
    }

    /// Removes the partial files of `output` left by killed runs: `.<name>.partial-<pid>.mp4`
    /// (`VideoAnnotator`'s naming) whose pid is not a running process. A live pid's file is its
    /// work in progress and stays (a reused pid only means a leftover is kept a while longer).
    static func removeStalePartials(of output: String) {
        let directory = (output as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        let prefix = ".\((output as NSString).lastPathComponent).partial-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".mp4") {
            guard let pid = Int32(name.dropFirst(prefix.count).dropLast(4)), pid > 0 else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }
}
