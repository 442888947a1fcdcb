// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./IDiamondCut.sol";

/// @title Gemforce-style time-locked upgrades: propose, wait, execute (or cancel).
interface IDiamondCutTimelock {
    event DiamondCutProposed(address indexed proposer, uint256 indexed proposalTime, uint256 executionTime);
    event DiamondCutCancelled(address indexed canceller);
    event UpgradeDelayChanged(uint256 previousDelay, uint256 newDelay);

    function proposeDiamondCut(IDiamondCut.FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata)
        external;

    function executeDiamondCut() external;

    function cancelDiamondCut() external;

    function pendingDiamondCut() external view returns (bool exists, uint256 proposalTime, uint256 executionTime);

    function setUpgradeDelay(uint256 _delay) external;

    function upgradeDelay() external view returns (uint256);
}
