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
        subcommands: [Score.self, Classify.self, Distort.self, Weights.self, Bench.self, Dataset.self, Video.self, Evaluate.self, Filtering.self, Filter.self, Train.self]
    )

    /// Usage errors exit with status 2 (the documented contract), not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
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
            MIQACommand.exit(withError: error)
        }
    }
}
