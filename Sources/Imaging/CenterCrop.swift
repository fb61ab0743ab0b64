extension Resampling {
    /// torchvision `CenterCrop((height, width))` on a PIL image.
    ///
    /// If the image is smaller than the crop along an axis it is first padded
    /// with zeros: floor(diff / 2) before and ceil(diff / 2) after. The crop
    /// offset is `int(round((size - crop) / 2.0))` with Python's round, which
    /// rounds halves to even (an odd difference of 65 gives 32, not 33).
    public static func centerCrop(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "crop size must be positive")
        var src = img
        if width > img.width || height > img.height {
            src = pad(img, left: max(width - img.width, 0) / 2, top: max(height - img.height, 0) / 2,
                      width: max(width, img.width), height: max(height, img.height))
            if src.width == width && src.height == height { return src }
        }
        let top = Int((Double(src.height - height) / 2.0).rounded(.toNearestOrEven))
        let left = Int((Double(src.width - width) / 2.0).rounded(.toNearestOrEven))
        return crop(src, left: left, top: top, width: width, height: height)
    }

    /// Copies the `width x height` window whose top-left corner is (left, top).
    /// - Precondition: the window lies inside `img`.
    public static func crop(_ img: RGBImage, left: Int, top: Int, width: Int, height: Int) -> RGBImage {
        precondition(left >= 0 && top >= 0 && left + width <= img.width && top + height <= img.height,
                     "crop window outside the image")
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let s = ((top + y) * img.width + left) * 3
            out.replaceSubrange(y * width * 3..<(y + 1) * width * 3, with: img.pixels[s..<s + width * 3])
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Places `img` at (left, top) on a black canvas of the given size.
    static func pad(_ img: RGBImage, left: Int, top: Int, width: Int, height: Int) -> RGBImage {
        var out = RGBImage(width: width, height: height)
        for y in 0..<img.height {
            let d = ((top + y) * width + left) * 3
            out.pixels.replaceSubrange(d..<d + img.width * 3,
                                       with: img.pixels[y * img.width * 3..<(y + 1) * img.width * 3])
        }
        return out
    }
}
