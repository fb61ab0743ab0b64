import Foundation
import Tensor

/// Resize (opset 10 and 11+) and the older Upsample, over the last two axes of `[N, C, H, W]`.
enum ONNXResizeOps {
    static func resize(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        guard x.rank == 4 else { throw c.invalid("only [N, C, H, W] inputs are supported, got \(x.shape)") }
        let modeName = try c.choice("mode", "nearest", ["nearest", "linear"])
        let coordinates: GridResize.Coordinates
        var rounding = GridResize.Rounding.roundPreferFloor
        let scalesInput: Int, sizesInput: Int
        if c.opset >= 11 {
            switch try c.choice("coordinate_transformation_mode", "half_pixel", ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]) {
            case "pytorch_half_pixel": coordinates = .pytorchHalfPixel
            case "align_corners": coordinates = .alignCorners
            case "asymmetric": coordinates = .asymmetric
            default: coordinates = .halfPixel
            }
            switch try c.choice("nearest_mode", "round_prefer_floor", ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]) {
            case "round_prefer_ceil": rounding = .roundPreferCeil
            case "floor": rounding = .floor
            case "ceil": rounding = .ceil
            default: rounding = .roundPreferFloor
            }
            try c.require("exclude_outside", is: 0, default: 0)
            try c.require("antialias", is: 0, default: 0)
            if c.node.attributes["axes"] != nil { throw c.unsupported("axes", "(resize all four axes)") }
            _ = try c.choice("keep_aspect_ratio_policy", "stretch", ["stretch"])
            scalesInput = 2; sizesInput = 3
        } else {
            // Opset 10: Resize(X, scales), asymmetric coordinates, nearest rounds down (as Upsample).
            coordinates = .asymmetric; rounding = .floor
            scalesInput = 1; sizesInput = -1
        }
        let mode: GridResize.Mode = modeName == "linear" ? .linear : .nearest(rounding)
        return [.float(try run(c, x, GridResize(mode: mode, coordinates: coordinates), scalesInput: scalesInput, sizesInput: sizesInput))]
    }

    /// Upsample (opsets 7-9): scales as an attribute (7, 8) or input (9); asymmetric coordinates,
    /// nearest rounds down (ONNX Runtime's rule for up-sampling).
    static func upsample(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        guard x.rank == 4 else { throw c.invalid("only [N, C, H, W] inputs are supported, got \(x.shape)") }
        let mode: GridResize.Mode = try c.choice("mode", "nearest", ["nearest", "linear", "bilinear"]) == "nearest" ? .nearest(.floor) : .linear
        let grid = GridResize(mode: mode, coordinates: .asymmetric)
        if let s = c.node.attributes["scales"]?.floats {
            return [.float(try apply(c, x, grid, scales: s.map(Double.init)))]
        }
        return [.float(try run(c, x, grid, scalesInput: 1, sizesInput: -1))]
    }

    static func run(_ c: ONNXNodeContext, _ x: Tensor, _ grid: GridResize, scalesInput: Int, sizesInput: Int) throws -> Tensor {
        if sizesInput >= 0, c.hasInput(sizesInput), case let .integer(_, sizes) = try c.value(sizesInput), !sizes.isEmpty {
            guard sizes.count == 4, sizes[0] == Int64(x.shape[0]), sizes[1] == Int64(x.shape[1]), sizes[2] > 0, sizes[3] > 0 else {
                throw c.invalid("sizes \(sizes) must keep N and C of \(x.shape) and be positive")
            }
            guard sizes[2] <= 1 << 15, sizes[3] <= 1 << 15 else { throw c.invalid("output size \(sizes[2])x\(sizes[3]) is out of range") }
            try c.bounded([x.shape[0], x.shape[1], Int(sizes[2]), Int(sizes[3])])
            return grid(x, height: Int(sizes[2]), width: Int(sizes[3]))
        }
        guard c.hasInput(scalesInput) else { throw c.invalid("neither scales nor sizes given") }
        return try apply(c, x, grid, scales: try c.tensor(scalesInput).values.map(Double.init))
    }

    static func apply(_ c: ONNXNodeContext, _ x: Tensor, _ grid: GridResize, scales: [Double]) throws -> Tensor {
        guard scales.count == 4, scales[0] == 1, scales[1] == 1, scales[2] > 0, scales[3] > 0 else {
            throw c.invalid("scales \(scales) must be [1, 1, sh, sw] with positive sh, sw")
        }
        // ONNX: output length = floor(input length * scale). Checked as doubles first: a huge
        // scale must be an error, not a trap converting to Int.
        let hd = (Double(x.shape[2]) * scales[2]).rounded(.down), wd = (Double(x.shape[3]) * scales[3]).rounded(.down)
        guard hd >= 1, wd >= 1, hd <= Double(1 << 15), wd <= Double(1 << 15) else { throw c.invalid("output size \(hd)x\(wd) is out of range") }
        let h = Int(hd), w = Int(wd)
        try c.bounded([x.shape[0], x.shape[1], h, w])
        return grid(x, height: h, width: w, scales: (scales[2], scales[3]))
    }
}
