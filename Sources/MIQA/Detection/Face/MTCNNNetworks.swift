import Foundation
import Tensor

/// MTCNN's proposal network: fully convolutional, one output cell per 12x12 window at stride 2.
/// Input `[1, H, W, 3]` NHWC, already normalised to `(x - 127.5) / 128`.
struct PNet {
    private(set) var c1, c2, c3: ConvPReLU
    private(set) var score, box: Conv2dKernel

    init(_ p: inout MTCNNParameters) throws {
        c1 = try p.convPReLU("conv1", "prelu1", 3, 10, kernel: 3)
        c2 = try p.convPReLU("conv2", "prelu2", 10, 16, kernel: 3)
        c3 = try p.convPReLU("conv3", "prelu3", 16, 32, kernel: 3)
        score = try p.conv("conv4_1", 32, 2, kernel: 1)
        box = try p.conv("conv4_2", 32, 4, kernel: 1)
        try p.checkNothingLeft()
    }

    /// Per output cell (row-major): the face probability and the four box offsets.
    func callAsFunction(_ x: Tensor) -> (h: Int, w: Int, probability: [Float], offsets: Tensor) {
        let f = c3(c2(MTCNNLayers.ceilMaxPool(c1(x), kernel: 2, stride: 2)))
        return (f.shape[1], f.shape[2], MTCNNLayers.faceProbability(score(f)), box(f))
    }

    /// The same network with kernels that have planned nothing yet. A kernel keeps one oneDNN
    /// plan per input shape, and PNet sees a new shape per pyramid scale of every image size:
    /// `FaceDetector` starts afresh when the image size changes instead of keeping them all.
    func fresh() -> PNet {
        var p = self
        (p.c1, p.c2, p.c3) = (c1.fresh(), c2.fresh(), c3.fresh())
        (p.score, p.box) = (score.fresh(), box.fresh())
        return p
    }
}

/// MTCNN's refinement network on 24x24 crops `[N, 24, 24, 3]`.
struct RNet {
    let c1, c2, c3: ConvPReLU
    let dense: LinearKernel, slopes: Tensor
    let score, box: LinearKernel

    init(_ p: inout MTCNNParameters) throws {
        c1 = try p.convPReLU("conv1", "prelu1", 3, 28, kernel: 3)
        c2 = try p.convPReLU("conv2", "prelu2", 28, 48, kernel: 3)
        c3 = try p.convPReLU("conv3", "prelu3", 48, 64, kernel: 2)
        dense = try p.linear("dense4", 576, 128)
        slopes = try p.take("prelu4.weight", [128])
        score = try p.linear("dense5_1", 128, 2)
        box = try p.linear("dense5_2", 128, 4)
        try p.checkNothingLeft()
    }

    /// Per crop: the face probability and the four box offsets (`[N, 4]`).
    func callAsFunction(_ x: Tensor) -> (probability: [Float], offsets: Tensor) {
        var f = MTCNNLayers.ceilMaxPool(c1(x), kernel: 3, stride: 2)
        f = c3(MTCNNLayers.ceilMaxPool(c2(f), kernel: 3, stride: 2))
        let d = PReLU.forward(dense(MTCNNLayers.flattenWidthFirst(f)), slopes: slopes)
        return (MTCNNLayers.faceProbability(score(d)), box(d))
    }
}

/// MTCNN's output network on 48x48 crops `[N, 48, 48, 3]`.
struct ONet {
    let c1, c2, c3, c4: ConvPReLU
    let dense: LinearKernel, slopes: Tensor
    let score, box, landmarks: LinearKernel

    init(_ p: inout MTCNNParameters) throws {
        c1 = try p.convPReLU("conv1", "prelu1", 3, 32, kernel: 3)
        c2 = try p.convPReLU("conv2", "prelu2", 32, 64, kernel: 3)
        c3 = try p.convPReLU("conv3", "prelu3", 64, 64, kernel: 3)
        c4 = try p.convPReLU("conv4", "prelu4", 64, 128, kernel: 2)
        dense = try p.linear("dense5", 1152, 256)
        slopes = try p.take("prelu5.weight", [256])
        score = try p.linear("dense6_1", 256, 2)
        box = try p.linear("dense6_2", 256, 4)
        // Facial landmarks: loaded so the file is checked whole, not used by detection.
        landmarks = try p.linear("dense6_3", 256, 10)
        try p.checkNothingLeft()
    }

    /// Per crop: the face probability and the four box offsets (`[N, 4]`).
    func callAsFunction(_ x: Tensor) -> (probability: [Float], offsets: Tensor) {
        var f = MTCNNLayers.ceilMaxPool(c1(x), kernel: 3, stride: 2)
        f = MTCNNLayers.ceilMaxPool(c2(f), kernel: 3, stride: 2)
        f = c4(MTCNNLayers.ceilMaxPool(c3(f), kernel: 2, stride: 2))
        let d = PReLU.forward(dense(MTCNNLayers.flattenWidthFirst(f)), slopes: slopes)
        return (MTCNNLayers.faceProbability(score(d)), box(d))
    }
}
