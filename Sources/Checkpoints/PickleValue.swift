/// A Python object as reconstructed by ``PickleMachine``.
///
/// Only what checkpoints need is modelled faithfully; any other class becomes
/// an ``PickleObject`` that remembers its constructor arguments and state, so
/// unknown extras (argparse Namespace, numpy scalars, ...) never stop a load.
///
/// Every container is a class, tuples included. That lets ``PickleTeardown``
/// empty a whole value graph iteratively (and visit a node shared through the
/// memo once), so that releasing a hostile, deeply nested value can never
/// recurse down the stack the way nested value types would.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too wide for `Int`, as little-endian two's complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// A reference to a module-level name, e.g. `torch.FloatStorage`.
    case global(module: String, name: String)
    case object(PickleObject)
    case storage(StorageRef)
    case tensor(TensorRef)

    /// A tuple of `items`.
    static func makeTuple(_ items: [PickleValue]) -> PickleValue { .tuple(PickleTuple(items)) }

    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    var intValue: Int? {
        switch self {
        case let .int(i): return i
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Items of a tuple or list, for argument unpacking.
    var sequence: [PickleValue]? {
        switch self {
        case let .tuple(tuple): return tuple.items
        case let .list(list): return list.items
        default: return nil
        }
    }

    /// The key/value container of a dict, or of an unknown object that was
    /// filled like a dict (e.g. a custom OrderedDict subclass).
    var mapping: PickleDict? {
        switch self {
        case let .dict(d): return d
        case let .object(o): return o.items.isEmpty ? nil : o.items
        default: return nil
        }
    }

    /// A few words naming the kind of value, for error messages. Deliberately
    /// not a dump: printing a hostile nested value would recurse without bound.
    var kindDescription: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .bigInt: return "an int"
        case .float: return "a float"
        case .string: return "a string"
        case .bytes: return "bytes"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dict"
        case let .global(module, name): return "\(module).\(name)"
        case .object: return "an object"
        case .storage: return "a storage"
        case .tensor: return "a tensor"
        }
    }
}

/// A Python tuple. Immutable in Python; `items` is settable only so that
/// ``PickleTeardown`` can empty it.
final class PickleTuple {
    var items: [PickleValue]
    init(_ items: [PickleValue]) { self.items = items }
}

/// A Python list; a class because pickle mutates lists after memoizing them.
final class PickleList {
    var items: [PickleValue]
    init(_ items: [PickleValue] = []) { self.items = items }
}

/// A Python dict with insertion order; a class for the same reason as ``PickleList``.
final class PickleDict {
    private(set) var keys: [PickleValue] = []
    private(set) var values: [PickleValue] = []
    private var stringSlots: [String: Int] = [:]
    /// Values replaced by a later assignment to the same key. Kept (memory is
    /// bounded by the pickle's size) so that a replaced value is only freed by
    /// ``PickleTeardown``, never by a recursive release in the middle of parsing.
    private var displaced: [PickleValue] = []

    /// Python semantics: assigning an existing string key replaces the value in place.
    func set(_ key: PickleValue, _ value: PickleValue) {
        if let name = key.stringValue {
            if let slot = stringSlots[name] {
                displaced.append(values[slot])
                values[slot] = value
                return
            }
            stringSlots[name] = keys.count
        }
        keys.append(key)
        values.append(value)
    }

    subscript(name: String) -> PickleValue? {
        stringSlots[name].map { values[$0] }
    }

    var isEmpty: Bool { keys.isEmpty }

    /// Empties the dict and hands back everything it held (for ``PickleTeardown``).
    func removeAll() -> [PickleValue] {
        defer { keys = []; values = []; stringSlots = [:]; displaced = [] }
        return keys + values + displaced
    }
}

/// An instance of a class the reader does not interpret.
final class PickleObject {
    var type: PickleValue
    var arguments: [PickleValue]
    var state: PickleValue = .none
    let items = PickleDict()
    let listItems = PickleList()
    init(type: PickleValue, arguments: [PickleValue]) {
        self.type = type
        self.arguments = arguments
    }
}

/// A tensor storage as named in a checkpoint's persistent id; the bytes are
/// looked up later by the format-specific reader under `key`.
final class StorageRef {
    let key: String
    let type: StorageType
    let elementCount: Int
    /// Start within the root storage's bytes (legacy storage views only).
    let byteOffset: Int
    init(key: String, type: StorageType, elementCount: Int, byteOffset: Int = 0) {
        self.key = key
        self.type = type
        self.elementCount = elementCount
        self.byteOffset = byteOffset
    }
}

/// A tensor as described by `torch._utils._rebuild_tensor_v2`: a strided view of a storage.
struct TensorRef {
    var storage: StorageRef
    /// Element type of the view (normally the storage's type).
    var type: StorageType
    var offset: Int
    var shape: [Int]
    var stride: [Int]
}
