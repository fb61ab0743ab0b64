import Foundation
import Imaging
import Tensor

/// Darknet's `letterbox_image`: the image scaled to fit the network input with its aspect ratio
/// kept, centred on a 0.5-grey canvas. The scaling is Darknet's own `resize_image` (bilinear,
/// corners aligned: source step `(in - 1) / (out - 1)`, horizontal pass first), in float, so that
/// boxes match Darknet's to the last digits rather than to a resampler's approximation.
public struct Letterbox: Sendable, Equatable {
    /// The scaled image's size and its offset on the canvas.
    public let scaledWidth: Int, scaledHeight: Int, left: Int, top: Int
    public let canvasWidth: Int, canvasHeight: Int

    /// The layout for an `imageWidth x imageHeight` image on a `width x height` canvas.
    public init(imageWidth: Int, imageHeight: Int, width: Int, height: Int) {
        if Float(width) / Float(imageWidth) < Float(height) / Float(imageHeight) {
            scaledWidth = width
            scaledHeight = imageHeight * width / imageWidth
        } else {
            scaledHeight = height
            scaledWidth = imageWidth * height / imageHeight
        }
        canvasWidth = width
        canvasHeight = height
        left = (width - scaledWidth) / 2
        top = (height - scaledHeight) / 2
    }

    /// The canvas for `image` as `[1, height, width, 3]`, RGB in 0...1.
    public func tensor(_ image: RGBImage) -> Tensor {
        let (iw, ih, ow, oh) = (image.width, image.height, scaledWidth, scaledHeight)
        // Horizontal pass: `part` is ow x ih, planar per channel as Darknet keeps it.
        var part = [Float](repeating: 0, count: 3 * ow * ih)
        let wScale = ow > 1 ? Float(iw - 1) / Float(ow - 1) : 0
        let hScale = oh > 1 ? Float(ih - 1) / Float(oh - 1) : 0
        func pixel(_ x: Int, _ y: Int, _ k: Int) -> Float { Float(image.pixels[(y * iw + x) * 3 + k]) / 255 }
        for k in 0..<3 {
            for r in 0..<ih {
                for c in 0..<ow {
                    let value: Float
                    if c == ow - 1 || iw == 1 {
                        value = pixel(iw - 1, r, k)
                    } else {
                        let sx = Float(c) * wScale
                        let ix = Int(sx)
                        let dx = sx - Float(ix)
                        value = (1 - dx) * pixel(ix, r, k) + dx * pixel(ix + 1, r, k)
                    }
                    part[(k * ih + r) * ow + c] = value
                }
            }
        }
        var canvas = [Float](repeating: 0.5, count: canvasWidth * canvasHeight * 3)
        for k in 0..<3 {
            for r in 0..<oh {
                let sy = Float(r) * hScale
                let iy = Int(sy)
                let dy = sy - Float(iy)
                let last = r == oh - 1 || ih == 1
                for c in 0..<ow {
                    var value = (1 - dy) * part[(k * ih + iy) * ow + c]
                    if !last { value += dy * part[(k * ih + iy + 1) * ow + c] }
                    canvas[((top + r) * canvasWidth + left + c) * 3 + k] = value
                }
            }
        }
        return Tensor(shape: [1, canvasHeight, canvasWidth, 3], values: canvas)
    }

    /// A box relative to the canvas, made relative to the original image (Darknet's
    /// `correct_yolo_boxes` with `relative = 1`).
    public func unmap(_ b: Box) -> Box {
        // The offsets in double, as Darknet's `(netw - new_w) / 2. / netw` are.
        let (nw, nh) = (Double(canvasWidth), Double(canvasHeight))
        return Box(x: Float((Double(b.x) - Double(canvasWidth - scaledWidth) / 2 / nw) / Double(Float(scaledWidth) / Float(canvasWidth))),
                   y: Float((Double(b.y) - Double(canvasHeight - scaledHeight) / 2 / nh) / Double(Float(scaledHeight) / Float(canvasHeight))),
                   w: b.w * (Float(canvasWidth) / Float(scaledWidth)),
                   h: b.h * (Float(canvasHeight) / Float(scaledHeight)))
    }
}
