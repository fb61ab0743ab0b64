import Foundation

/// Resizing of the last two axes of `[N, C, H, W]` in ONNX `Resize`'s definitions: nearest or
/// (bi)linear sampling, and the coordinate transformation that maps an output pixel back to the
/// input.
public struct GridResize: Sendable {
    public enum Mode: Sendable { case nearest(Rounding), linear }
    /// How a nearest-neighbour source coordinate becomes an index.
    public enum Rounding: Sendable { case roundPreferFloor, roundPreferCeil, floor, ceil }
    public enum Coordinates: Sendable { case halfPixel, pytorchHalfPixel, alignCorners, asymmetric }

    public let mode: Mode
    public let coordinates: Coordinates

    public init(mode: Mode, coordinates: Coordinates) {
        self.mode = mode
        self.coordinates = coordinates
    }

    /// The input coordinate of output coordinate `o` along an axis of `inLength` -> `outLength`
    /// with scale `scale` (output / input).
    func source(_ o: Int, inLength: Int, outLength: Int, scale: Double) -> Double {
        let o = Double(o)
        switch coordinates {
        case .halfPixel: return (o + 0.5) / scale - 0.5
        case .pytorchHalfPixel: return outLength > 1 ? (o + 0.5) / scale - 0.5 : 0
        case .alignCorners: return outLength > 1 ? o * Double(inLength - 1) / Double(outLength - 1) : 0
        case .asymmetric: return o / scale
        }
    }

    func nearest(_ c: Double, _ rounding: Rounding, length: Int) -> Int {
        let i: Double
        switch rounding {
        case .floor: i = c.rounded(.down)
        case .ceil: i = c.rounded(.up)
        case .roundPreferFloor: i = c == c.rounded(.down) + 0.5 ? c.rounded(.down) : c.rounded()
        case .roundPreferCeil: i = c == c.rounded(.down) + 0.5 ? c.rounded(.up) : c.rounded()
        }
        return Swift.min(Swift.max(Int(i), 0), length - 1)
    }

    /// `x` resized to `height` x `width`; `scales` (output / input per axis) default to the
    /// size ratio, as ONNX uses the given scales when the model gives scales.
    public func callAsFunction(_ x: Tensor, height: Int, width: Int, scales: (Double, Double)? = nil) -> Tensor {
        precondition(x.rank == 4, "resize expects [N, C, H, W], got \(x.shape)")
        let (h, w) = (x.shape[2], x.shape[3])
        let (sy, sx) = scales ?? (Double(height) / Double(h), Double(width) / Double(w))
        let out = Tensor(uninitializedShape: [x.shape[0], x.shape[1], height, width])
        let planes = x.shape[0] * x.shape[1]
        let src = x.data, dst = out.data
        switch mode {
        case let .nearest(rounding):
            let ys = (0..<height).map { nearest(source($0, inLength: h, outLength: height, scale: sy), rounding, length: h) }
            let xs = (0..<width).map { nearest(source($0, inLength: w, outLength: width, scale: sx), rounding, length: w) }
            parallelFor(planes) { range in
                for p in range {
                    for oy in 0..<height {
                        let row = src + p * h * w + ys[oy] * w
                        let o = dst + (p * height + oy) * width
                        for ox in 0..<width { o[ox] = row[xs[ox]] }
                    }
                }
            }
        case .linear:
            // Two taps per axis; coordinates outside the input clamp to the edge.
            func taps(_ n: Int, _ length: Int, _ count: Int, _ scale: Double) -> [(Int, Int, Float)] {
                (0..<count).map { o in
                    let c = Swift.min(Swift.max(source(o, inLength: length, outLength: count, scale: scale), 0), Double(length - 1))
                    let i0 = Int(c.rounded(.down)), i1 = Swift.min(i0 + 1, length - 1)
                    return (i0, i1, Float(c - Double(i0)))
                }
            }
            let ty = taps(height, h, height, sy), tx = taps(width, w, width, sx)
            parallelFor(planes) { range in
                for p in range {
                    let plane = src + p * h * w
                    for oy in 0..<height {
                        let (y0, y1, fy) = ty[oy]
                        let o = dst + (p * height + oy) * width
                        for ox in 0..<width {
                            let (x0, x1, fx) = tx[ox]
                            let top = plane[y0 * w + x0] * (1 - fx) + plane[y0 * w + x1] * fx
                            let bottom = plane[y1 * w + x0] * (1 - fx) + plane[y1 * w + x1] * fx
                            o[ox] = top * (1 - fy) + bottom * fy
                        }
                    }
                }
            }
        }
        return out
    }
}
