// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";
import {IDiamondLoupe} from "./interfaces/IDiamondLoupe.sol";
import {IERC165} from "./interfaces/IERC165.sol";
import {IERC173} from "./interfaces/IERC173.sol";
import {LibDiamond} from "./LibDiamond.sol";

/// @title Initializer run through a cut's `_init` (delegatecall, in the diamond's storage).
/// @notice init() emits Initialized(1) like OpenZeppelin's `initializer` modifier; a second
///         init() reverts. reinitialize(v) emits Initialized(v) for any v above the current
///         version, like OpenZeppelin's `reinitializer(v)`.
contract DiamondInit {
    /// Same signature as OpenZeppelin Initializable's event (uint64 version).
    event Initialized(uint64 version);

    function init() external {
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        require(ds.initializedVersion == 0, "DiamondInit: Already initialized");
        ds.initializedVersion = 1;
        ds.supportedInterfaces[type(IERC165).interfaceId] = true;
        ds.supportedInterfaces[type(IDiamondCut).interfaceId] = true;
        ds.supportedInterfaces[type(IDiamondLoupe).interfaceId] = true;
        ds.supportedInterfaces[type(IERC173).interfaceId] = true;
        if (ds.upgradeDelay == 0) {
            ds.upgradeDelay = LibDiamond.DEFAULT_UPGRADE_DELAY;
        }
        emit Initialized(1);
    }

    function reinitialize(uint64 _version) external {
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        require(_version > ds.initializedVersion, "DiamondInit: Version not above current");
        ds.initializedVersion = _version;
        emit Initialized(_version);
    }
}
