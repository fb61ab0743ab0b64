/// The element type a tensor had in the file it came from.
///
/// Values are always handed out as `Float` (see ``StoredTensor``); this records
/// what they were before conversion, so callers can tell e.g. a BatchNorm
/// `num_batches_tracked` counter (int64) from a real weight.
public enum StorageType: String, Sendable, CaseIterable {
    case float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool

    /// Bytes per element in the serialized form.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// True for the floating point types.
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: return true
        default: return false
        }
    }
}
