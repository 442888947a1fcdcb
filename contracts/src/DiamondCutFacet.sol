// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";
import {LibDiamond} from "./LibDiamond.sol";

/// @title Direct and time-locked (Gemforce-style) diamond cuts.
/// @notice diamondCut applies at once (owner only). proposeDiamondCut stores a cut that
///         executeDiamondCut applies once `upgradeDelay` seconds have passed; only one proposal
///         can be pending; cancelDiamondCut drops it. Only DiamondCut changes facets.
contract DiamondCutFacet {
    event DiamondCutProposed(address indexed proposer, uint256 indexed proposalTime, uint256 executionTime);
    event DiamondCutCancelled(address indexed canceller);
    event UpgradeDelayChanged(uint256 previousDelay, uint256 newDelay);

    /// @notice EIP-2535 diamondCut (selector 0x1f931c1c). Owner only, applied at once.
    function diamondCut(IDiamondCut.FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata)
        external
    {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.diamondCut(_diamondCut, _init, _calldata);
    }

    /// @notice Stores a cut to apply after the upgrade delay. Owner only; reverts while another
    ///         proposal is pending.
    function proposeDiamondCut(IDiamondCut.FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata)
        external
    {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        LibDiamond.PendingCut storage p = ds.pending;
        require(!p.exists, "DiamondCutFacet: A proposal is already pending");
        require(_diamondCut.length > 0, "DiamondCutFacet: Empty proposal");
        uint256 executionTime = block.timestamp + ds.upgradeDelay;
        p.exists = true;
        p.proposer = msg.sender;
        p.proposalTime = block.timestamp;
        p.executionTime = executionTime;
        p.init = _init;
        p.initCalldata = _calldata;
        for (uint256 i = 0; i < _diamondCut.length; i++) {
            IDiamondCut.FacetCut storage stored = p.cuts.push();
            stored.facetAddress = _diamondCut[i].facetAddress;
            stored.action = _diamondCut[i].action;
            stored.functionSelectors = _diamondCut[i].functionSelectors;
        }
        emit DiamondCutProposed(msg.sender, block.timestamp, executionTime);
    }

    /// @notice Applies the pending proposal (owner only, not before its execution time), emits
    ///         DiamondCut and clears the proposal.
    function executeDiamondCut() external {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.PendingCut storage p = LibDiamond.diamondStorage().pending;
        require(p.exists, "DiamondCutFacet: No pending proposal");
        require(block.timestamp >= p.executionTime, "DiamondCutFacet: Upgrade delay has not passed");
        IDiamondCut.FacetCut[] memory cuts = p.cuts;
        address init = p.init;
        bytes memory initCalldata = p.initCalldata;
        delete LibDiamond.diamondStorage().pending;
        LibDiamond.diamondCut(cuts, init, initCalldata);
    }

    /// @notice Drops the pending proposal (owner only).
    function cancelDiamondCut() external {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        require(ds.pending.exists, "DiamondCutFacet: No pending proposal");
        delete ds.pending;
        emit DiamondCutCancelled(msg.sender);
    }

    function pendingDiamondCut() external view returns (bool exists, uint256 proposalTime, uint256 executionTime) {
        LibDiamond.PendingCut storage p = LibDiamond.diamondStorage().pending;
        return (p.exists, p.proposalTime, p.executionTime);
    }

    /// @notice The whole pending proposal (empty values when none).
    function pendingDiamondCutDetails()
        external
        view
        returns (address proposer, IDiamondCut.FacetCut[] memory cuts, address init, bytes memory initCalldata)
    {
        LibDiamond.PendingCut storage p = LibDiamond.diamondStorage().pending;
        return (p.proposer, p.cuts, p.init, p.initCalldata);
    }

    function upgradeDelay() external view returns (uint256) {
        return LibDiamond.diamondStorage().upgradeDelay;
    }

    /// @notice Owner only. 0 is allowed (a proposal becomes executable in its own block's time).
    function setUpgradeDelay(uint256 _delay) external {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        uint256 previous = ds.upgradeDelay;
        ds.upgradeDelay = _delay;
        emit UpgradeDelayChanged(previous, _delay);
    }
}
