/// What ``CheckpointReader/readContents(_:)`` found in a weight file.
public struct CheckpointContents: Sendable {
    /// The weights, as ``CheckpointReader/read(_:)`` returns them.
    public var tensors: TensorDict
    /// Python callables (`module.name`) the checkpoint's pickle calls that the
    /// reader does not interpret, sorted; empty for safetensors.
    ///
    /// Nothing is ever imported or run, so such a global is harmless: its
    /// result is kept as an opaque value and is not part of the weights (an
    /// `argparse.Namespace` of training options, a numpy scalar, a pickled
    /// module). They are reported rather than refused because checkpoints in
    /// the wild routinely carry them next to their state dict; a caller that
    /// shows a file's contents should print them so nothing is dropped unseen.
    public var ignoredGlobals: [String]

    /// Bundles tensors with the globals that were ignored to get them.
    public init(tensors: TensorDict, ignoredGlobals: [String] = []) {
        self.tensors = tensors
        self.ignoredGlobals = ignoredGlobals
    }
}
