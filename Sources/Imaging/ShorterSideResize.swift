extension Resampling {
    /// The output size of torchvision's `Resize(size)` with an int size: the
    /// shorter side becomes `size`, the longer one `int(size * long / short)`
    /// (Python float division, then truncation, so it can be 1 px "short").
    public static func shorterSideTarget(width: Int, height: Int, size: Int) -> (width: Int, height: Int) {
        if width <= height {
            return (size, Int(Double(size * height) / Double(width)))
        }
        return (Int(Double(size * width) / Double(height)), size)
    }

    /// torchvision `Resize(size)` on a PIL image: bilinear (antialiased)
    /// resize so the shorter side equals `size`. Like torchvision, the image is
    /// returned unchanged when the computed size equals its current size.
    public static func resizeShorterSide(_ img: RGBImage, to size: Int) -> RGBImage {
        let target = shorterSideTarget(width: img.width, height: img.height, size: size)
        if target.width == img.width && target.height == img.height { return img }
        return resizeBilinear(img, width: target.width, height: target.height)
    }
}
