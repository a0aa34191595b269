package io.galapagos.worker.network;

/**
 * What a network reads and predicts: images ({@link InputSpec}) for macro and cell architectures, token
 * sequences ({@link TokenInput}) for sequence architectures.
 */
public sealed interface NetworkInput permits InputSpec, TokenInput {

    /** Classes the network predicts. */
    int classes();

    /** In words, everything of it a network's layout depends on: two inputs described alike give the same layers. */
    String describe();
}
