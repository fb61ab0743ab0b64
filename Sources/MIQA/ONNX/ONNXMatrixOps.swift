import Foundation
import Tensor

/// Gemm and MatMul.
enum ONNXMatrixOps {
    static func matMul(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let a = try c.tensor(0), b = try c.tensor(1)
        guard let shape = BatchedMatMul.shape(a.shape, b.shape) else { throw c.invalid("shapes \(a.shape) and \(b.shape) do not multiply") }
        try c.bounded(shape)
        return [.float(BatchedMatMul.apply(a, b))]
    }

    /// Y = alpha * A' B' + beta * C, with A' and B' optionally transposed.
    static func gemm(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        var a = try c.tensor(0), b = try c.tensor(1)
        guard a.rank == 2, b.rank == 2 else { throw c.invalid("Gemm takes matrices, got \(a.shape) and \(b.shape)") }
        if c.int("transA", 0) != 0 { a = Layout.permuted(a, [1, 0]) }
        if c.int("transB", 0) != 0 { b = Layout.permuted(b, [1, 0]) }
        guard a.shape[1] == b.shape[0] else { throw c.invalid("A' \(a.shape) and B' \(b.shape) do not multiply") }
        try c.bounded([a.shape[0], b.shape[1]])
        var y = BatchedMatMul.apply(a, b)
        let alpha = c.float("alpha", 1), beta = c.float("beta", 1)
        if alpha != 1 { y = Broadcast.apply(.multiply, y, Tensor(shape: [], values: [alpha])) }
        if c.hasInput(2) {
            var bias = try c.tensor(2)
            guard Broadcast.shape(bias.shape, y.shape) == y.shape else { throw c.invalid("C \(bias.shape) does not broadcast to \(y.shape)") }
            if beta != 1 { bias = Broadcast.apply(.multiply, bias, Tensor(shape: [], values: [beta])) }
            y = Broadcast.apply(.add, y, bias)
        }
        return [.float(y)]
    }
}
