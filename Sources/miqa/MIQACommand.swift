@preconcurrency import Glibc
import ArgumentParser
import Foundation

@main
struct MIQACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "miqa",
        abstract: "Machine-centric image quality assessment: how much will an image's degradations hurt a vision model?",
        discussion: """
            Scores images with the MIQA predictors of "Image Quality Assessment for Machines" (arXiv 2508.19850): \
            ResNet-18/50, EfficientNet-B1/B5, ViT-S and RA-MIQA, for classification (cls), detection (det) and \
            instance segmentation (ins), predicting the composite, consistency or accuracy label. Scores are about \
            0..1; higher means the image is better for the machine.

            Models live in $MIQA_HOME (default ~/.miqa). Import the original's checkpoints with `miqa weights import`.
            """,
        subcommands: [Score.self, Classify.self, Detect.self, Segment.self, Distort.self, Weights.self, Bench.self, Dataset.self, Video.self, Evaluate.self, Filtering.self, Filter.self, Train.self, ONNX.self]
    )

    /// Usage errors exit with status 2 (the documented contract), not ArgumentParser's 64.
    static func main() {
        var parsed: ParsableCommand?
        do {
            var command = try parseAsRoot()
            parsed = command
            try command.run()
            exitIfStandardOutputFailed(parsed, status: 0)
        } catch let exit as ExitCode {
            exitIfStandardOutputFailed(parsed, status: exit.rawValue)
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                MIQACommand.exit(withError: error)
            }
            if code == .validationFailure || error is ValidationError {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            let domain = (error as NSError).domain
            if domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain {
                // Foundation's own text is "The operation couldn't be completed"; name the path instead.
                printError("error: \(PathCheck.message(error))")
                Foundation.exit(1)
            }
            MIQACommand.exit(withError: error)
        }
    }

    /// `print` buffers standard output and drops write errors silently: a full disk or a closed
    /// pipe would otherwise lose the results with exit status 0. Flushes, and on failure says so
    /// and exits non-zero (2 for `weights`, whose errors are all 2; else 1).
    static func exitIfStandardOutputFailed(_ command: ParsableCommand?, status: Int32) {
        errno = 0
        // C's `stdout` is a mutable global to Swift 6; it is read here once, after all output.
        nonisolated(unsafe) let out = stdout
        guard fflush(out) != 0 || ferror(out) != 0 else { return }
        let reason = errno == 0 ? "write error" : String(cString: strerror(errno))
        printError("error: standard output: cannot write: \(reason)")
        let isWeights = command is Weights.Inspect || command is Weights.List || command is Weights.Import || command is Weights.Fetch
        Foundation.exit(max(status, isWeights ? 2 : 1))
    }
}
