import Foundation
import Tensor

/// A network that can be trained: a forward pass that records on a tape, its parameters by their
/// PyTorch names, and an export of all weights (running statistics included) in the layout that
/// `ModelRegistry.build` and our safetensors store read.
public protocol TrainableModel: AnyObject {
    var config: ArchitectureConfig { get }
    /// Trainable parameters by PyTorch name, in construction order (the order of `state_dict()`).
    var parameters: [(name: String, variable: Variable)] { get }
    /// Runs the network on one tensor per input view (`[B, H, W, 3]` each); returns `[B, outputs]`.
    /// In train mode BatchNorm uses batch statistics (and updates its running statistics) and
    /// dropout is active; with `context.tape` set, the pass is recorded for `Tape.backward`.
    func forward(_ views: [Tensor], context: ForwardContext) -> Variable
    /// Every weight by name (parameters, BatchNorm running statistics, frozen tensors), copied.
    func exportWeights() -> [String: Tensor]
}

/// What a forward pass needs besides its inputs: the tape (nil: no gradients), train or eval
/// mode, and the generator for dropout masks.
public final class ForwardContext {
    public let tape: Tape?
    public let training: Bool
    public var dropout: DropoutGenerator

    public init(tape: Tape?, training: Bool, dropoutSeed: UInt64 = 0) {
        self.tape = tape
        self.training = training
        self.dropout = DropoutGenerator(seed: dropoutSeed)
    }
}

/// Shared bookkeeping of the trainable architectures: takes tensors from a `ParameterStore` by
/// name (strictly: `finish()` reports every missing, unexpected or mis-shaped key), wraps them
/// as parameters or buffers, and exports them again under the same names.
public class TrainableNetwork {
    public let config: ArchitectureConfig
    public private(set) var parameters: [(name: String, variable: Variable)] = []
    private var buffers: [(String, Tensor)] = []
    /// Frozen tensors exported unchanged (RA-MIQA's region encoder).
    var frozen: [String: Tensor] = [:]
    let store: ParameterStore

    init(config: ArchitectureConfig, store: ParameterStore) {
        self.config = config
        self.store = store
    }

    /// A trainable parameter (a private copy: training never mutates the caller's tensors).
    func parameter(_ name: String, _ shape: [Int]) -> Variable {
        let v = Variable(store.take(name, shape).copy(), requiresGrad: true)
        parameters.append((name, v))
        return v
    }

    /// A non-trainable tensor that training updates (BatchNorm running statistics).
    func buffer(_ name: String, _ shape: [Int]) -> Tensor {
        let t = store.take(name, shape).copy()
        buffers.append((name, t))
        return t
    }

    public func exportWeights() -> [String: Tensor] {
        var out = frozen.mapValues { $0.copy() }
        for (name, v) in parameters { out[name] = v.value.copy() }
        for (name, t) in buffers { out[name] = t.copy() }
        return out
    }
}

/// `nn.Conv2d` (OIHW weight, optional bias) for training.
struct TrainConv {
    let kernel: Conv2dTrainingKernel
    let weight: Variable
    let bias: Variable?

    init(_ net: TrainableNetwork, _ name: String, in cin: Int, out cout: Int, kernel k: Int, stride: Int = 1,
         padding: ConvPadding, groups: Int = 1, bias: Bool = false) {
        kernel = Conv2dTrainingKernel(inChannels: cin, outChannels: cout, kernel: (k, k), stride: (stride, stride),
                                      padding: padding, groups: groups, bias: bias)
        weight = net.parameter("\(name).weight", kernel.weightShape)
        self.bias = bias ? net.parameter("\(name).bias", [cout]) : nil
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.conv2d(x, kernel, weight: weight, bias: bias, tape: c.tape)
    }
}

/// `nn.BatchNorm2d` for training: batch statistics in train mode, running ones in eval mode.
struct TrainBatchNorm {
    let kernel: BatchNormKernel
    let gamma: Variable, beta: Variable
    let runningMean: Tensor, runningVariance: Tensor
    let momentum: Float

    init(_ net: TrainableNetwork, _ name: String, channels: Int, eps: Float, momentum: Float) {
        kernel = BatchNormKernel(channels: channels, eps: eps)
        gamma = net.parameter("\(name).weight", [channels])
        beta = net.parameter("\(name).bias", [channels])
        runningMean = net.buffer("\(name).running_mean", [channels])
        runningVariance = net.buffer("\(name).running_var", [channels])
        net.store.ignore("\(name).num_batches_tracked")
        self.momentum = momentum
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.batchNorm(x, kernel, gamma: gamma, beta: beta, runningMean: runningMean, runningVariance: runningVariance,
                                 momentum: momentum, training: c.training, tape: c.tape)
    }
}

/// Convolution -> BatchNorm -> optional activation (torchvision's `Conv2dNormActivation`).
struct TrainConvBN {
    let conv: TrainConv
    let bn: TrainBatchNorm
    let activation: ActivationKind?

    init(_ net: TrainableNetwork, conv: String, bn: String, in cin: Int, out cout: Int, kernel: Int, stride: Int = 1,
         padding: ConvPadding, groups: Int = 1, eps: Float, momentum: Float, activation: ActivationKind?) {
        self.conv = TrainConv(net, conv, in: cin, out: cout, kernel: kernel, stride: stride, padding: padding, groups: groups)
        self.bn = TrainBatchNorm(net, bn, channels: cout, eps: eps, momentum: momentum)
        self.activation = activation
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        let y = bn(conv(x, c), c)
        return activation.map { Differentiable.activation(y, $0, tape: c.tape) } ?? y
    }
}

/// `nn.Linear` (`[out, in]` weight); `weightShape` lets a 1x1 convolution's `[out, in, 1, 1]`
/// weight be used as a linear layer under its own name and shape.
struct TrainLinear {
    let weight: Variable
    let bias: Variable?
    let matrixShape: [Int]

    init(_ net: TrainableNetwork, _ name: String, in cin: Int, out cout: Int, bias: Bool = true, weightShape: [Int]? = nil) {
        matrixShape = [cout, cin]
        weight = net.parameter("\(name).weight", weightShape ?? [cout, cin])
        self.bias = bias ? net.parameter("\(name).bias", [cout]) : nil
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        let w = weight.value.shape == matrixShape ? weight : Differentiable.reshape(weight, matrixShape, tape: c.tape)
        return Differentiable.linear(x, weight: w, bias: bias, tape: c.tape)
    }
}

/// `nn.LayerNorm` over the last dimension.
struct TrainLayerNorm {
    let weight: Variable, bias: Variable
    let eps: Float

    init(_ net: TrainableNetwork, _ name: String, dim: Int, eps: Float) {
        weight = net.parameter("\(name).weight", [dim])
        bias = net.parameter("\(name).bias", [dim])
        self.eps = eps
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.layerNorm(x, weight: weight, bias: bias, eps: eps, tape: c.tape)
    }
}

extension Variable {
    /// An activation applied through the context's tape.
    func apply(_ kind: ActivationKind, _ c: ForwardContext) -> Variable { Differentiable.activation(self, kind, tape: c.tape) }
}
