import Foundation
import Tensor

/// Problems found while matching a checkpoint to an architecture. Loading is all or nothing:
/// every expected key must be present with the right shape, and no key may be left over.
public enum WeightError: Error, CustomStringConvertible, Equatable {
    case missing([String])
    case unexpected([String])
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    case combined([WeightError])

    public var description: String {
        switch self {
        case let .missing(keys): return "missing \(keys.count) key(s): \(WeightError.list(keys))"
        case let .unexpected(keys): return "unexpected \(keys.count) key(s): \(WeightError.list(keys))"
        case let .shapeMismatch(key, expected, found): return "\(key): expected shape \(expected), found \(found)"
        case let .combined(errors): return errors.map(\.description).joined(separator: "; ")
        }
    }

    private static func list(_ keys: [String]) -> String {
        keys.count <= 12 ? keys.joined(separator: ", ") : keys.prefix(12).joined(separator: ", ") + ", ..."
    }
}

/// Named tensors handed to a model under construction. The model takes each parameter by its
/// PyTorch name and expected shape; `finish()` then reports everything that did not fit, all
/// at once, so a user sees the whole mismatch rather than the first key.
public final class ParameterStore {
    private var tensors: [String: Tensor]
    private var used = Set<String>()
    private var missing: [String] = []
    private var mismatched: [WeightError] = []

    private let generator: RandomParameterGenerator?
    /// While `recordingTaken` runs: what was taken, by name.
    private var recorded: [String: Tensor]?

    public init(_ tensors: [String: Tensor]) {
        self.tensors = tensors
        self.generator = nil
    }

    init(generator: RandomParameterGenerator) {
        self.tensors = [:]
        self.generator = generator
    }

    /// With a generating store: every (name, shape) the model asked for, in construction order.
    public var requested: [(name: String, shape: [Int])] { generator?.requested.map { ($0.0, $0.1) } ?? [] }

    /// All names present, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// Takes the tensor `name`, which must have `shape`. A missing or mis-shaped key is recorded
    /// and a zero tensor of the expected shape returned so construction can go on and list all
    /// problems; `finish()` then throws.
    public func take(_ name: String, _ shape: [Int]) -> Tensor {
        if let generator { return generator.make(name, shape) }
        guard let t = tensors[name] else {
            missing.append(name)
            return Tensor(zeros: shape)
        }
        used.insert(name)
        recorded?[name] = t
        if t.shape != shape {
            // A [1, N, D] vs [N, D] style difference with equal element count is still a mismatch:
            // it signals a wrong architecture, which we must not paper over.
            mismatched.append(.shapeMismatch(key: name, expected: shape, found: t.shape))
            return Tensor(zeros: shape)
        }
        return t
    }

    /// Takes `name` whatever its shape (for tensors whose size the checkpoint decides, such as a
    /// position embedding that is resized on load); returns nil when absent.
    public func takeAnyShape(_ name: String) -> Tensor? {
        if generator != nil { return nil }
        guard let t = tensors[name] else { missing.append(name); return nil }
        used.insert(name)
        return t
    }

    /// The tensor `name` without taking it (nil when absent or generated).
    func peek(_ name: String) -> Tensor? { tensors[name] }

    /// Runs `body` and returns, besides its result, every tensor it took (by name): the
    /// tensors of a frozen part, which training exports unchanged.
    func recordingTaken<T>(_ body: () throws -> T) rethrows -> (T, [String: Tensor]) {
        let outer = recorded
        recorded = [:]
        defer { recorded = outer }
        let result = try body()
        return (result, recorded ?? [:])
    }

    /// Marks keys as known but unused (e.g. BatchNorm's `num_batches_tracked`).
    public func ignore(_ name: String) {
        if tensors[name] != nil { used.insert(name) }
    }

    /// Throws if any expected key was missing or mis-shaped, or any stored key was not taken.
    public func finish() throws {
        let unexpected = tensors.keys.filter { !used.contains($0) }.sorted()
        var errors: [WeightError] = []
        if !missing.isEmpty { errors.append(.missing(missing)) }
        errors.append(contentsOf: mismatched)
        if !unexpected.isEmpty { errors.append(.unexpected(unexpected)) }
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw WeightError.combined(errors) }
    }
}
