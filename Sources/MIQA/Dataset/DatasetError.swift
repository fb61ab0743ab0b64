import Foundation

/// Why a dataset operation (generation, labelling, score import, label reading) failed.
/// Every message is one line and names the file it is about.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A user mask does not have the size of its reference.
    case maskSizeMismatch(mask: String, maskWidth: Int, maskHeight: Int, reference: String, width: Int, height: Int)
    /// The reference is smaller than the generator supports.
    case referenceTooSmall(reference: String, width: Int, height: Int, minimum: Int)
    /// Two references would share one id (e.g. `a.jpg` and `a.png`).
    case duplicateID(id: String, first: String, second: String)
    /// Writing, renaming or removing a file failed (e.g. a full disk).
    case writeFailed(path: String, reason: String)
    /// A file could not be read.
    case readFailed(path: String, reason: String)
    /// A CSV file is not in the expected format.
    case badCSV(path: String, reason: String)
    /// Something the operation needs is missing.
    case missing(String)

    public var description: String {
        switch self {
        case let .maskSizeMismatch(mask, mw, mh, reference, w, h):
            return "\(mask): mask is \(mw)x\(mh) but reference \(reference) is \(w)x\(h)"
        case let .referenceTooSmall(reference, w, h, minimum):
            return "\(reference): reference is \(w)x\(h); the generator needs at least \(minimum) px per side"
        case let .duplicateID(id, first, second):
            return "\(second): id '\(id)' is already taken by \(first); rename one of them"
        case let .writeFailed(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .readFailed(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .badCSV(path, reason):
            return "\(path): \(reason)"
        case let .missing(what):
            return what
        }
    }
}
