import Foundation
import Tensor

/// A convolution's geometry (PyTorch `nn.Conv2d` arguments; the weight is `[out, in/groups, k, k]`).
struct ConvGeometry: Sendable {
    public var inChannels: Int, outChannels: Int, kernel: Int
    public var stride = 1
    public var padding: ConvPadding
    public var groups = 1

    public init(in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int = 1, padding: ConvPadding, groups: Int = 1) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }
}

/// `nn.BatchNorm2d` after a convolution: where its tensors live, its eps and (for training) momentum.
struct BatchNormSettings: Sendable {
    public var scope: ParameterScope
    public var eps: Float
    public var momentum: Float

    public init(_ scope: ParameterScope, eps: Float, momentum: Float) {
        self.scope = scope
        self.eps = eps
        self.momentum = momentum
    }
}

/// The vocabulary every architecture is written in, once, for both uses of a network:
/// `InferenceBuilder` (values are `Tensor`s; BatchNorm folded into convolutions, activations
/// and residual adds fused as oneDNN post-ops, residuals accumulated in place) and
/// `TrainingBuilder` (values are `Variable`s recorded on a tape; BatchNorm, dropout and
/// stochastic depth as in PyTorch's train mode, eval mode on request).
///
/// A definition asks the builder for layers (which take their tensors from the checkpoint by
/// scope, in construction order) and returns a forward function composed of those layers and
/// the stateless ops below. A layer returned with an `adding` form writes `layer(x) + shortcut`;
/// at inference the sum is formed in the shortcut's memory, so a definition must treat the
/// shortcut as consumed (every architecture here reassigns it at once).
protocol NetworkBuilder: AnyObject {
    /// What flows between layers: `Tensor` (inference) or `Variable` (training).
    associatedtype Value
    /// What a forward pass carries besides its values: nothing at inference; the tape, the mode
    /// and the dropout generator in training.
    associatedtype Context

    typealias Layer = (Value, Context) -> Value
    typealias AddingLayer = (_ x: Value, _ shortcut: Value, Context) -> Value

    /// An input view (`[B, H, W, 3]`, channels-last), as a value.
    func input(_ view: Tensor, _ c: Context) -> Value

    // MARK: Layers with parameters

    /// Convolution without bias, BatchNorm, then `activation` (torchvision's `Conv2dNormActivation`).
    func convNorm(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, activation: ActivationKind?) -> Layer
    /// Convolution without bias and BatchNorm, then `+ shortcut`, then `activation`. With
    /// `dropPath` the branch is dropped per sample with that probability in train mode before
    /// the add (stochastic depth); inference ignores it.
    func convNormAdding(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, dropPath: Float?,
                        activation: ActivationKind?) -> AddingLayer
    /// Convolution with bias (`<scope>.weight`, `<scope>.bias`), e.g. a patch embedding.
    func conv(_ scope: ParameterScope, _ g: ConvGeometry) -> Layer
    /// `nn.Linear(in, out)` (weight `weight`, bias `bias`), then `activation`. `storedShape` is
    /// the checkpoint's shape of the weight when it is not `[out, in]` (a 1x1 convolution used
    /// on a pooled vector).
    func linear(weight: String, bias: String, in: Int, out: Int, storedShape: [Int]?, activation: ActivationKind?) -> Layer
    /// `shortcut + Linear(x)`.
    func linearAdding(_ scope: ParameterScope, in: Int, out: Int) -> AddingLayer
    /// `nn.LayerNorm(dim)` over the last dimension, then `activation`.
    func layerNorm(_ scope: ParameterScope, dim: Int, eps: Float, activation: ActivationKind?) -> Layer
    /// A bare learned tensor (class token, position embedding) stored under `key.path`.
    func parameter(_ key: ParameterScope, shape: [Int]) -> Value
    /// A tensor the checkpoint holds but the forward pass does not use. `export`: training
    /// writes it back unchanged, so a trained checkpoint keeps the original's keys.
    func unused(_ key: ParameterScope, export: Bool)
    /// A frozen part of the network, always run as inference (its tensors are taken from the
    /// same checkpoint and, in training, exported unchanged). `make` builds it with an
    /// `InferenceBuilder`; its output enters the network as a constant.
    func frozen(_ make: (InferenceBuilder) throws -> (Tensor) -> Tensor) rethrows -> (Tensor, Context) -> Value

    /// Multi-head self-attention on packed `[B, N, 3D]` q/k/v (timm's layout) -> `[B, N, D]`.
    /// A layer, though it has no parameters: at inference it keeps its oneDNN primitives.
    func attention(heads: Int) -> Layer

    // MARK: Stateless operations

    func maxPool(_ x: Value, kernel: Int, stride: Int, padding: Int, _ c: Context) -> Value
    /// `[B, H, W, C]` -> `[B, C]`.
    func globalAveragePool(_ x: Value, _ c: Context) -> Value
    func activation(_ x: Value, _ kind: ActivationKind, _ c: Context) -> Value
    /// `x * s` per sample and channel (`s` is `[B, C]`): squeeze-and-excitation.
    func scaleChannels(_ x: Value, by s: Value, _ c: Context) -> Value
    /// Inverted dropout in train mode; the identity otherwise.
    func dropout(_ x: Value, p: Float, _ c: Context) -> Value
    /// `[B, H', W', D]` (a patch-embedding output) -> `[B, H' * W', D]`.
    func patchTokens(_ x: Value, _ c: Context) -> Value
    /// See `Tokens.assemble`.
    func assembleTokens(prefix: [Value], patches: Value, position: Value, _ c: Context) -> Value
    /// See `Tokens.select`.
    func selectToken(_ x: Value, index: Int, _ c: Context) -> Value
    /// See `Tokens.concatFeatures`.
    func concatFeatures(_ parts: [Value], _ c: Context) -> Value
}

extension NetworkBuilder {
    /// `convNormAdding` when `residual`, else `convNorm` with the shortcut ignored: the closing
    /// convolution of a block whose skip connection depends on its shape.
    func convNorm(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, addingShortcut residual: Bool,
                  dropPath: Float?, activation: ActivationKind?) -> AddingLayer {
        if residual { return convNormAdding(conv, g, norm: norm, dropPath: dropPath, activation: activation) }
        let layer = convNorm(conv, g, norm: norm, activation: activation)
        return { x, _, c in layer(x, c) }
    }

    /// `nn.Linear(in, out)` under `scope` (`<scope>.weight`, `<scope>.bias`), then `activation`.
    func linear(_ scope: ParameterScope, in inFeatures: Int, out: Int, storedShape: [Int]? = nil,
                       activation: ActivationKind? = nil) -> Layer {
        linear(weight: scope.key("weight"), bias: scope.key("bias"), in: inFeatures, out: out, storedShape: storedShape,
               activation: activation)
    }
}

/// The regularisation a definition applies in train mode (inference ignores it).
struct Regularisation: Sendable {
    /// Dropout before the last layer; nil: the original's value for the architecture.
    public var headDropout: Float?
    /// The largest stochastic-depth rate of residual blocks (scaled by block index).
    public var stochasticDepth: Float

    public init(headDropout: Float? = nil, stochasticDepth: Float = 0.2) {
        self.headDropout = headDropout
        self.stochasticDepth = stochasticDepth
    }
}

/// One architecture's structure and parameter names, written once over any `NetworkBuilder`.
/// `ModelRegistry` builds the inference network from it and `TrainableModels` the training one;
/// `ModelRegistry.definition` picks it by the configuration's case.
protocol ArchitectureDefinition {
    /// Its configuration type (a case of `ArchitectureConfig`).
    associatedtype Config
    /// `config` as this architecture's configuration; nil when it is another architecture's.
    static func configuration(_ config: ArchitectureConfig) -> Config?
    /// Takes every layer from `b` and returns the forward pass over the input views.
    static func define<B: NetworkBuilder>(_ config: Config, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value
}

extension ArchitectureDefinition {
    /// `define` on `config`, which must be this architecture's.
    static func build<B: NetworkBuilder>(_ config: ArchitectureConfig, _ b: B,
                                         _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        guard let own = configuration(config) else {
            throw ConfigError(field: "a configuration of \(Self.self)", architecture: config.architecture)
        }
        return try define(own, b, regularisation)
    }
}
