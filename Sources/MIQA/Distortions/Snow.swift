import Foundation
import Imaging

/// ImageNet-C `snow` as in `imagecorruptions`, parameters
/// (loc, scale, zoom, threshold, blur radius, blur sigma, blend):
/// 1. a normal layer N(loc, scale^2) of the image size, `ClippedZoom`ed by `zoom`;
/// 2. values below `threshold` set to 0, clipped to 0...1;
/// 3. `MotionBlur` of the layer (radius, sigma; angle uniform in [-135, -45]),
///    rounded to 1/255 steps (NumPy's round, ties to even), cropped to the top-left H x W;
/// 4. in float32: `x = blend * x + (1 - blend) * max(x, gray(x) * 1.5 + 0.5)` with
///    OpenCV's RGB2GRAY weights 0.299, 0.587, 0.114;
/// 5. `uint8(clip(x + layer + rot180(layer), 0, 1) * 255)`.
/// The blur radius uses `MotionBlur.width`'s `2 * ceil(radius) + 1` rule.
enum Snow {
    static func apply(_ img: RGBImage, parameters c: [Double], rng: inout SeededGenerator) -> RGBImage {
        // Draw order as in the reference: the whole normal layer, then the angle.
        let noise = (0..<(img.width * img.height)).map { _ in rng.normal() }
        return apply(img, parameters: c, standardNormal: noise, angle: rng.uniform(-135, -45))
    }

    /// The deterministic rest of `snow`, given the standard-normal draws
    /// (row-major, one per pixel) and the blur angle.
    static func apply(_ img: RGBImage, parameters c: [Double], standardNormal: [Double], angle: Double) -> RGBImage {
        let W = img.width, H = img.height
        var layer = [Double](repeating: 0, count: W * H)
        for i in layer.indices { layer[i] = c[0] + c[1] * standardNormal[i] }
        let zoomed = ClippedZoom.apply(layer, width: W, height: H, zoom: c[2])
        var z = zoomed.values
        for i in z.indices { z[i] = z[i] < c[3] ? 0 : min(max(z[i], 0), 1) }
        let blurred = MotionBlur.blur(z, width: zoomed.width, height: zoomed.height, channels: 1,
                                      radius: c[4], sigma: c[5], angle: angle)
        // Crop the top-left H x W of the (at least as large) zoomed layer, quantised to bytes / 255.
        var snow = [Double](repeating: 0, count: W * H)
        for y in 0..<H {
            for x in 0..<W {
                let v = (blurred[y * zoomed.width + x] * 255).rounded(.toNearestOrEven)
                snow[y * W + x] = Double(UInt8(min(max(v, 0), 255))) / 255.0
            }
        }
        let blend = Float(c[6]), rest = Float(1 - c[6])
        var out = [Double](repeating: 0, count: W * H * 3)
        for p in 0..<(W * H) {
            let r = Float(img.pixels[p * 3]) / 255, g = Float(img.pixels[p * 3 + 1]) / 255, b = Float(img.pixels[p * 3 + 2]) / 255
            let gray = r * 0.299 + g * 0.587 + b * 0.114
            let lifted = gray * 1.5 + 0.5
            let rotated = snow[W * H - 1 - p]  // the layer rotated by 180 degrees
            for (k, v) in [r, g, b].enumerated() {
                let mixed = blend * v + rest * max(v, lifted)
                out[p * 3 + k] = Double(mixed) + snow[p] + rotated
            }
        }
        return PixelMath.bytes(fromUnit: out, width: W, height: H)
    }
}
