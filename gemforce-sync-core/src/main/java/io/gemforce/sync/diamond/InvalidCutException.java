package io.gemforce.sync.diamond;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;

/** A cut that breaks an EIP-2535 rule for the state it is applied to. The state is unchanged. */
public class InvalidCutException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final transient FacetCut cut;
    private final transient Selector selector;

    public InvalidCutException(FacetCut cut, Selector selector, String reason) {
        super(ErrorCode.INVALID_CUT, reason + " (cut: " + cut.action() + " facet " + cut.facetAddress()
                + ", selector " + selector + ")");
        this.cut = cut;
        this.selector = selector;
    }

    /** The cut that was rejected. */
    public FacetCut cut() {
        return cut;
    }

    /** The selector in that cut that broke the rule. */
    public Selector selector() {
        return selector;
    }
}
