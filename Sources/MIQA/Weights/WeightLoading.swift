import Foundation
import Checkpoints
import Tensor

/// Turning weight files into named engine tensors.
public enum WeightLoading {
    /// Reads any supported weight file (PyTorch zip or legacy, safetensors) into tensors by name,
    /// with a `state_dict` wrapper and `module.` prefixes already removed by the reader.
    public static func tensors(from url: URL) throws -> [String: Tensor] {
        tensors(from: try CheckpointReader.read(url))
    }

    /// Converts a host-side tensor dictionary into engine tensors.
    public static func tensors(from dict: TensorDict) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, t) in dict.entries {
            out[name] = Tensor(shape: t.shape, values: t.values)
        }
        return out
    }
}
