import Imaging

/// ImageNet-C `jpeg_compression`: Pillow `save(format="JPEG", quality=int(q))`
/// and decode. `Int(q)` truncates like Python's `int()`: the MIQD candidate
/// 0.1 becomes 0, which libjpeg (and `ImageEncoder.jpeg`) clamps to 1.
enum JPEGCompression {
    static func apply(_ img: RGBImage, quality q: Double) throws -> RGBImage {
        let data = ImageEncoder.jpeg(img, quality: Int(q.rounded(.towardZero)))
        return try ImageDecoder.decode(data: data, name: "jpeg_compression(q=\(q))")
    }
}
