import Imaging

/// ImageNet-C `pixelate`: Pillow BOX resize to `(int(W * c), int(H * c))`,
/// then NEAREST back to `(W, H)`. Pillow rejects a zero-sized target; we
/// clamp each side to at least 1 pixel instead (only reachable for images
/// narrower than 1 / c, e.g. < 15 px at the strongest candidate 0.07).
enum Pixelate {
    static func apply(_ img: RGBImage, factor c: Double) -> RGBImage {
        let w = max(1, Int(Double(img.width) * c)), h = max(1, Int(Double(img.height) * c))
        let small = BoxResize.resize(img, width: w, height: h)
        return NearestResize.resize(small, width: img.width, height: img.height)
    }
}
