import Foundation

/// Whole-file access for the readers.
enum FileBytes {
    /// The file's bytes, memory-mapped where the platform allows so that large
    /// checkpoints are paged in on demand rather than copied up front.
    static func load(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CheckpointError.unreadable(url, error.localizedDescription)
        }
    }
}
