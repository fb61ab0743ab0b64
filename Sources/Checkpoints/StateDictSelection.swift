/// Picks the tensors a caller means by "the weights" out of an unpickled checkpoint.
///
/// Training scripts wrap the state dict in various ways; we follow the common
/// conventions and leave everything else (epoch, args, optimizer) alone.
enum StateDictSelection {
    /// Keys that hold the model weights in wrapper dicts, in order of preference.
    static let wrapperKeys = ["state_dict", "model", "model_state_dict", "state_dict_ema"]

    /// Named tensors in stored order, or nil when there are none.
    static func select(_ root: PickleValue) -> [(name: String, tensor: TensorRef)]? {
        guard let top = root.mapping else { return nil }
        for key in wrapperKeys {
            if let inner = top[key]?.mapping {
                let found = tensors(in: inner)
                if !found.isEmpty { return found }
            }
        }
        let found = tensors(in: top)
        return found.isEmpty ? nil : found
    }

    /// String-keyed tensor entries of `dict`; non-tensor values are skipped.
    private static func tensors(in dict: PickleDict) -> [(name: String, tensor: TensorRef)] {
        var result: [(name: String, tensor: TensorRef)] = []
        for (key, value) in zip(dict.keys, dict.values) {
            if let name = key.stringValue, case let .tensor(t) = value { result.append((name, t)) }
        }
        return result
    }

    /// Removes the `module.` prefix that `nn.DataParallel`/DDP add, from every
    /// key that has it. Skipped if stripping would make two keys collide, since
    /// then the prefix carries meaning.
    static func strippingModulePrefix(_ names: [String]) -> [String] {
        let prefix = "module."
        guard names.contains(where: { $0.hasPrefix(prefix) }) else { return names }
        let stripped = names.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        return Set(stripped).count == names.count ? stripped : names
    }
}
