// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";
import {LibDiamond} from "./LibDiamond.sol";

/// @title The project's Gemforce-compatible EIP-2535 diamond.
/// @notice The constructor applies the initial cut and sets the owner so that one creation
///         transaction emits, in order: DiamondCut (whole initial set, with `_init` and
///         `_initCalldata`), OwnershipTransferred(0x0, owner), then whatever `_init` emits
///         (DiamondInit: Initialized(1)).
contract Diamond {
    constructor(address _owner, IDiamondCut.FacetCut[] memory _cuts, address _init, bytes memory _initCalldata)
        payable
    {
        LibDiamond.applyCuts(_cuts);
        emit LibDiamond.DiamondCut(_cuts, _init, _initCalldata);
        LibDiamond.setContractOwner(_owner);
        LibDiamond.initializeDiamondCut(_init, _initCalldata);
        LibDiamond.DiamondStorage storage ds = LibDiamond.diamondStorage();
        if (ds.upgradeDelay == 0) {
            ds.upgradeDelay = LibDiamond.DEFAULT_UPGRADE_DELAY;
        }
    }

    /// @notice A function implemented by the diamond itself. Registering its selector with a cut
    ///         Add whose facet address is this diamond makes it an immutable function (EIP-2535).
    function immutableVersion() external pure returns (uint256) {
        return 1;
    }

    /// @notice Routes every other call to the facet that owns msg.sig.
    fallback() external payable {
        address facet = LibDiamond.diamondStorage().selectorSlots[msg.sig].facetAddress;
        // An immutable selector the diamond does not implement itself would loop back here.
        require(facet != address(0) && facet != address(this), "Diamond: Function does not exist");
        assembly {
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), facet, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    receive() external payable {}
}
