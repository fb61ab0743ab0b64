import Checkpoints

/// What every checkpoint reader promises about a dictionary it returns, checked by the fuzz
/// targets after a successful read: a violation means the reader accepted a file and returned
/// wrong data, which libFuzzer then reports as a crash with the input saved.
public enum TensorInvariants {
    /// Traps unless every tensor holds exactly as many values as its shape has elements and every
    /// listed name can be looked up.
    public static func check(_ dict: TensorDict) {
        for name in dict.names {
            guard let tensor = dict[name] else { fatalError("reader listed '\(name)' but has no tensor under it") }
            // Overflow-checked product: a hostile shape must not trap here instead of in the reader.
            var elements = 1
            for d in tensor.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                if d < 0 || overflow { fatalError("tensor '\(name)' has shape \(tensor.shape), not a real shape") }
                elements = product
            }
            if elements != tensor.values.count {
                fatalError("tensor '\(name)' has shape \(tensor.shape) (\(elements) elements) but \(tensor.values.count) values")
            }
        }
    }
}
