import Foundation

/// A one-line progress bar on standard error with count, rate and ETA, redrawn at most ~10 times
/// a second. Silent when standard error is not a terminal (logs and pipes stay clean) or when
/// disabled.
public final class ProgressBar {
    private let total: Int?
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var done = 0

    /// `total` nil: unknown length (count and rate only).
    public init(total: Int?, label: String, enabled: Bool = true) {
        self.total = total
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    public func advance(by n: Int = 1) {
        done += n
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) >= 0.1 || done == total { draw(now); lastDraw = now }
    }

    /// Clears the bar (call before printing other lines to stderr, and at the end).
    public func finish() {
        guard enabled else { return }
        draw(Date())
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// Writes a message above the bar without corrupting it.
    public func message(_ text: String) {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        if enabled { draw(Date()) }
    }

    private func draw(_ now: Date) {
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        var line = "\r\u{1B}[2K\(label) "
        if let total, total > 0 {
            let width = 28
            let filled = min(width, done * width / total)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += "\(done)/\(total)"
            let remaining = rate > 0 ? Double(total - done) / rate : 0
            line += String(format: "  %.1f/s  ETA %@", rate, ProgressBar.clock(remaining) as NSString)
        } else {
            line += String(format: "%d  %.1f/s  %@", done, rate, ProgressBar.clock(elapsed) as NSString)
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
