/// Interprets the few Python callables that matter in a checkpoint pickle.
///
/// Everything else becomes an opaque ``PickleObject`` so that unexpected
/// extras (argparse Namespace, numpy scalars, optimizer classes) are carried
/// along harmlessly instead of failing the load.
enum TorchGlobals {
    struct Problem: Error { let message: String }

    /// Result of calling `callable(*arguments)` as REDUCE/NEWOBJ would.
    /// `depth` bounds `_rebuild_from_type_v2` nesting, which a hostile pickle
    /// could make cyclic through a self-containing list.
    static func call(_ callable: PickleValue, _ arguments: [PickleValue], depth: Int = 0) throws -> PickleValue {
        guard depth < 8 else { throw Problem(message: "calls nested too deeply") }
        guard case let .global(module, name) = callable else {
            return .object(PickleObject(type: callable, arguments: arguments))
        }
        switch (module, name) {
        case ("collections", "OrderedDict"), ("builtins", "dict"), ("__builtin__", "dict"):
            return .dict(makeDict(arguments))
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            return .tensor(try rebuildTensor(arguments, dtype: nil))
        case ("torch._utils", "_rebuild_tensor_v3"):
            // (storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])
            let dtype = arguments.count > 6 ? storageType(dtypeGlobal: arguments[6]) : nil
            return .tensor(try rebuildTensor(arguments, dtype: dtype))
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            // Parameters are just tensors plus autograd flags we do not need.
            guard let data = arguments.first else { throw Problem(message: "\(name) without data") }
            return data
        case ("torch._tensor", "_rebuild_from_type_v2"):
            // (func, subclass, args, state): rebuild with func, drop the subclass.
            guard arguments.count >= 3, let inner = arguments[2].sequence else {
                throw Problem(message: "_rebuild_from_type_v2 with bad arguments")
            }
            return try call(arguments[0], inner, depth: depth + 1)
        case ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "list"), ("__builtin__", "set"):
            return .list(PickleList(arguments.first?.sequence ?? []))
        case ("builtins", "tuple"):
            return .makeTuple(arguments.first?.sequence ?? [])
        case ("_codecs", "encode"):
            // How protocol-2 pickles carry bytes (e.g. numpy payloads): encode(text, 'latin1').
            if let text = arguments.first?.stringValue {
                return .bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
            }
            return .object(PickleObject(type: callable, arguments: arguments))
        default:
            return .object(PickleObject(type: callable, arguments: arguments))
        }
    }

    /// `OrderedDict()` or `OrderedDict([(k, v), ...])`.
    private static func makeDict(_ arguments: [PickleValue]) -> PickleDict {
        let dict = PickleDict()
        for pair in arguments.first?.sequence ?? [] {
            if let kv = pair.sequence, kv.count == 2 { dict.set(kv[0], kv[1]) }
        }
        return dict
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, ...)`.
    private static func rebuildTensor(_ arguments: [PickleValue], dtype: StorageType?) throws -> TensorRef {
        guard arguments.count >= 4, case let .storage(storage) = arguments[0] else {
            throw Problem(message: "tensor rebuild without a storage")
        }
        guard let offset = arguments[1].intValue,
              let shape = arguments[2].sequence?.compactMap(\.intValue),
              let stride = arguments[3].sequence?.compactMap(\.intValue),
              shape.count == arguments[2].sequence?.count, stride.count == shape.count
        else { throw Problem(message: "tensor rebuild with bad offset/size/stride") }
        guard shape.count <= PickleLimits.maximumTensorRank else {
            throw Problem(message: "tensor with \(shape.count) dimensions (at most \(PickleLimits.maximumTensorRank) are supported)")
        }
        return TensorRef(storage: storage, type: dtype ?? storage.type, offset: offset, shape: shape, stride: stride)
    }

    /// `torch.FloatStorage` and friends -> element type. `UntypedStorage` is bytes.
    static func storageType(storageGlobal value: PickleValue) -> StorageType? {
        guard case let .global(module, name) = value, module.hasPrefix("torch") else { return nil }
        switch name {
        case "FloatStorage": return .float32
        case "HalfStorage": return .float16
        case "BFloat16Storage": return .bfloat16
        case "DoubleStorage": return .float64
        case "LongStorage": return .int64
        case "IntStorage": return .int32
        case "ShortStorage": return .int16
        case "CharStorage": return .int8
        case "ByteStorage", "UntypedStorage": return .uint8
        case "BoolStorage": return .bool
        default: return nil
        }
    }

    /// `torch.float32` and friends (how a dtype pickles) -> element type.
    static func storageType(dtypeGlobal value: PickleValue) -> StorageType? {
        guard case let .global(module, name) = value, module == "torch" else { return nil }
        switch name {
        case "float32", "float": return .float32
        case "float16", "half": return .float16
        case "bfloat16": return .bfloat16
        case "float64", "double": return .float64
        case "int64", "long": return .int64
        case "int32", "int": return .int32
        case "int16", "short": return .int16
        case "int8": return .int8
        case "uint8": return .uint8
        case "bool": return .bool
        default: return nil
        }
    }
}
