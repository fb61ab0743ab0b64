import Foundation

/// The file `images/<id>/.complete` that says a reference's folder is finished.
///
/// It is written last, atomically, and lists (one per line) every distorted image the
/// reference should have, so a resumed run can tell a finished reference from one whose files
/// were deleted afterwards: a reference counts as done only if the marker exists and every
/// listed file is still there.
public enum CompletionMarker {
    /// First line of the marker, so that it is recognisable and versioned.
    static let header = "# miqa dataset: complete"

    /// Writes the marker listing `files` (names inside the reference's folder).
    public static func write(_ url: URL, files: [String]) throws {
        try AtomicFile.write(([header] + files).joined(separator: "\n") + "\n", to: url)
    }

    /// The listed file names, or nil when there is no (valid) marker.
    public static func read(_ url: URL) -> [String]? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard lines.first == header else { return nil }
        return Array(lines.dropFirst())
    }

    /// Whether the folder holding `url` is complete: marker present, every listed file present.
    public static func isComplete(_ url: URL) -> Bool {
        guard let files = read(url), !files.isEmpty else { return false }
        let dir = url.deletingLastPathComponent()
        return files.allSatisfy { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }
    }
}
