/// A shorter-side resize that would produce an image above the pixel limit (or
/// has no valid size). It does not know the file, so the caller adds the name.
public struct ResizeError: Error, CustomStringConvertible, Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// The requested shorter side.
    public let size: Int
    public let targetWidth: Int
    public let targetHeight: Int
    public let limit: Int

    init(width: Int, height: Int, size: Int, target: (width: Int, height: Int), limit: Int) {
        self.width = width
        self.height = height
        self.size = size
        self.targetWidth = target.width
        self.targetHeight = target.height
        self.limit = limit
    }

    public var description: String {
        guard size > 0, width > 0, height > 0 else {
            return "image is \(width)x\(height): cannot resize its shorter side to \(size)"
        }
        let long = (targetWidth == Int.max || targetHeight == Int.max) ? "more than \(Int.max)" : nil
        let made = long.map { width > height ? "\($0)x\(targetHeight)" : "\(targetWidth)x\($0)" }
            ?? "\(targetWidth)x\(targetHeight)"
        return "image is \(width)x\(height): resizing its shorter side to \(size) would make \(made) pixels "
            + "(limit \(limit) pixels)"
    }
}
