/// The dtype spellings of the safetensors header.
enum SafetensorsDType {
    static func name(of type: StorageType) -> String {
        switch type {
        case .float32: return "F32"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float64: return "F64"
        case .int64: return "I64"
        case .int32: return "I32"
        case .int16: return "I16"
        case .int8: return "I8"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    static func type(named name: String) -> StorageType? {
        StorageType.allCases.first { self.name(of: $0) == name }
    }
}
