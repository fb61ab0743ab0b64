import ArgumentParser
import Foundation
import MIQA

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify images with an ImageNet classifier (the downstream 'machines' MIQA labels come from).",
        discussion: """
            Install the classifier first: miqa weights fetch efficientnet_lite0 (or efficientnet_lite1, \
            efficientnet_lite2, mobilenet_v2). \
            Prints the top-K ImageNet classes with probabilities.
            """
    )

    @Argument(help: "Image files.")
    var images: [String]

    @Option(help: "Classifier: efficientnet_lite0, efficientnet_lite1, efficientnet_lite2 or mobilenet_v2.")
    var model: String = "efficientnet_lite0"

    @Option(help: "Weights file instead of the installed classifier.")
    var weights: String?

    @Option(help: "How many classes to show, 1...1000.")
    var top: Int = 5

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        guard PredictorMachine.isKnown(model) else {
            throw ValidationError("--model must be one of \(PredictorMachine.knownNames.joined(separator: ", "))")
        }
        try NumericRange.check("--top", top, in: 1...1000)
        if let weights { try PathCheck.readableFile(weights, option: "--weights") }
    }

    func run() throws {
        threadOptions.apply()
        let predictor: Predictor
        do {
            predictor = try ModelResolver.classifier(model: model, weights: weights.map { URL(fileURLWithPath: $0) })
        } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
        let names = ImageNetClasses.names()
        if names == nil { printError("note: ImageNet class names not installed (miqa weights fetch \(model)); showing indices") }
        try PerImageReport.run(images, json: json) { path in
            let top = try Classification.topK(predictor: predictor, imageAt: URL(fileURLWithPath: path), k: top)
            if !json {
                print(path)
                for t in top { print(String(format: "  %4d  %.4f  ", t.index, t.probability) + (names?[t.index] ?? "")) }
            }
            return ["image": path, "top": top.map { ["class": $0.index, "name": names?[$0.index] ?? "", "probability": Double($0.probability)] }]
        }
    }
}
