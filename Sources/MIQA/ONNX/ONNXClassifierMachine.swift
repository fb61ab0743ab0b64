import Foundation
import Imaging
import Tensor

/// The kinds of machine a user's ONNX file can be (`dataset label --machine-kind`).
public enum ONNXMachineKind: String, CaseIterable, Sendable {
    case classifier, segmenter
}

/// What an ONNX classifier's output rows are.
public enum ONNXClassifierOutput: String, CaseIterable, Sendable {
    case logits, probabilities
}

/// A user's own classifier in ONNX form as a labelling machine (`dataset label --machine
/// FILE.onnx`): each image resized (shorter side) and centre-cropped as torchvision's eval
/// transform does, normalised with the given mean/std, run on miqa's engine; the output rows are
/// logits (softmax applied, in double) or probabilities (checked to sum to 1).
public final class ONNXClassifierMachine: ClassifierMachine {
    /// `<file stem>-<first 8 hex digits of its SHA-256>`: the labelling record then names the
    /// exact file, and label columns stay readable.
    public let name: String
    let graph: ONNXGraph
    public let preprocess: Preprocess
    public let outputsLogits: Bool
    private let inputName: String
    private let outputName: String
    /// Whether the graph's batch axis is free (one forward pass per call) or fixed at 1.
    private let batched: Bool

    /// The machine with torchvision's eval transform where `preprocess` leaves a choice to the
    /// file: the crop is `inputSide`, else the side the graph's input declares, else 224; the
    /// shorter side is resized to `resize`, else `crop * 256 / 224`. The file is read once (its
    /// graph and the digest in `name` come from the same bytes).
    /// - Throws: as `init(url:preprocess:outputsLogits:)`.
    public convenience init(url: URL, inputSide: Int?, resize: Int?, mean: (Float, Float, Float), std: (Float, Float, Float),
                            outputsLogits: Bool) throws {
        let (graph, digest) = try Self.read(url)
        let side = inputSide ?? (graph.file.inputs.first?.shape.last ?? nil) ?? 224
        let preprocess = Preprocess(size: resize ?? side * 256 / 224, crop: side, mean: mean, std: std)
        try self.init(url: url, graph: graph, digest: digest, preprocess: preprocess, outputsLogits: outputsLogits)
    }

    /// - Throws: `ONNXError` for an unreadable or unsupported graph; `ONNXMachineError.notAvailable`
    ///   (naming the file) when its input is not `[N, 3, H, W]` with room for `preprocess.crop`.
    public convenience init(url: URL, preprocess: Preprocess, outputsLogits: Bool) throws {
        let (graph, digest) = try Self.read(url)
        try self.init(url: url, graph: graph, digest: digest, preprocess: preprocess, outputsLogits: outputsLogits)
    }

    /// The file's graph and SHA-256, from one read of its bytes.
    private static func read(_ url: URL) throws -> (ONNXGraph, String) {
        let data = try ONNXModelFile.bytes(at: url)
        return (try ONNXGraph(file: ONNXModelFile(data: data, url: url)), SHA256.hex(data))
    }

    private init(url: URL, graph: ONNXGraph, digest: String, preprocess: Preprocess, outputsLogits: Bool) throws {
        guard graph.file.inputs.count == 1, let input = graph.file.inputs.first, input.shape.count == 4, input.shape[1] == 3 else {
            throw ONNXMachineError.notAvailable("\(url.path): a classifier machine needs one image input [N, 3, H, W]; this model declares \(graph.file.inputs.map { "\($0.name) \($0.shape.map { $0.map(String.init) ?? "?" })" })")
        }
        for side in input.shape[2...] {
            if let side, side != preprocess.crop {
                throw ONNXMachineError.notAvailable("\(url.path): the model's input is \(input.shape[2].map(String.init) ?? "?")x\(input.shape[3].map(String.init) ?? "?") but the crop is \(preprocess.crop); set --machine-input-size \(side)")
            }
        }
        guard let output = graph.file.outputs.first else { throw ONNXMachineError.notAvailable("\(url.path): the model has no output") }
        self.name = url.deletingPathExtension().lastPathComponent + "-" + digest.prefix(8)
        self.graph = graph
        self.preprocess = preprocess
        self.outputsLogits = outputsLogits
        self.inputName = input.name
        self.outputName = output
        self.batched = input.shape[0] == nil
    }

    public func probabilities(_ images: [RGBImage]) throws -> [[Double]] {
        guard !images.isEmpty else { return [] }
        if !batched && images.count > 1 { return try images.flatMap { try probabilities([$0]) } }
        let side = preprocess.crop, plane = 3 * side * side
        var values = [Float](repeating: 0, count: images.count * plane)
        for (i, image) in images.enumerated() {
            let one = try preprocess.apply(image)
            values.replaceSubrange((i * plane)..<((i + 1) * plane), with: one)
        }
        let out = try graph.run([inputName: Tensor(shape: [images.count, 3, side, side], values: values)])[outputName]!
        guard out.shape.first == images.count, out.count % images.count == 0, out.count > images.count else {
            throw ONNXMachineError.badOutput("\(name): output \(outputName) has shape \(out.shape) for \(images.count) image(s); a classifier answers [N, classes]")
        }
        let k = out.count / images.count, flat = out.values
        return try (0..<images.count).map { i in
            let row = Array(flat[(i * k)..<((i + 1) * k)])
            guard row.allSatisfy(\.isFinite) else { throw ONNXMachineError.badOutput("\(name): output is not finite") }
            if outputsLogits { return PredictorMachine.softmax(row) }
            let p = row.map(Double.init), sum = p.reduce(0, +)
            guard p.allSatisfy({ $0 >= 0 }), abs(sum - 1) <= 1e-3 else {
                throw ONNXMachineError.badOutput("\(name): output rows sum to \(sum), not 1; if the model answers logits, say --machine-output logits")
            }
            return p
        }
    }
}
