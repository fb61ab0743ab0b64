/// Named tensors in a stable order.
///
/// Order matters: checkpoints list parameters in module registration order,
/// and keeping it makes dumps, diffs and written files reproducible.
public struct TensorDict: Sendable, Equatable {
    /// Tensor names in insertion (file) order.
    public private(set) var names: [String] = []
    private var tensors: [String: StoredTensor] = [:]

    /// Creates an empty dictionary.
    public init() {}

    /// Number of tensors.
    public var count: Int { names.count }

    /// The tensor called `name`. Assigning a new name appends it at the end;
    /// assigning an existing name replaces it in place; assigning `nil` removes it.
    public subscript(name: String) -> StoredTensor? {
        get { tensors[name] }
        set {
            if let newValue {
                set(name, newValue)
            } else if tensors.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// Stores `tensor` under `name`, keeping the position of an existing name.
    public mutating func set(_ name: String, _ tensor: StoredTensor) {
        if tensors.updateValue(tensor, forKey: name) == nil {
            names.append(name)
        }
    }

    /// `(name, tensor)` pairs in order.
    public var entries: [(name: String, tensor: StoredTensor)] {
        names.map { ($0, tensors[$0]!) }
    }
}
