// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";

/// @title Diamond storage and the EIP-2535 cut rules shared by the Diamond and its facets.
/// @notice Everything lives in one struct at a fixed, namespaced storage slot so that every
///         facet (running through delegatecall) sees the same state.
library LibDiamond {
    /// keccak256("gemforce-sync.test.diamond.storage")
    bytes32 internal constant DIAMOND_STORAGE_POSITION = keccak256("gemforce-sync.test.diamond.storage");

    /// Default time lock for proposeDiamondCut -> executeDiamondCut: one day.
    uint256 internal constant DEFAULT_UPGRADE_DELAY = 1 days;

    struct SelectorSlot {
        address facetAddress; // address(0) means "not set"
        uint96 position; // index in the facet's selector list
    }

    struct FacetSelectors {
        bytes4[] selectors;
        uint256 facetPosition; // index in facetAddresses
    }

    struct PendingCut {
        bool exists;
        address proposer;
        uint256 proposalTime;
        uint256 executionTime;
        address init;
        bytes initCalldata;
        IDiamondCut.FacetCut[] cuts;
    }

    struct DiamondStorage {
        mapping(bytes4 => SelectorSlot) selectorSlots;
        mapping(address => FacetSelectors) facetSelectors;
        address[] facetAddresses;
        mapping(bytes4 => bool) supportedInterfaces;
        address contractOwner;
        uint64 initializedVersion;
        uint256 upgradeDelay;
        PendingCut pending;
    }

    event DiamondCut(IDiamondCut.FacetCut[] _diamondCut, address _init, bytes _calldata);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    function diamondStorage() internal pure returns (DiamondStorage storage ds) {
        bytes32 position = DIAMOND_STORAGE_POSITION;
        assembly {
            ds.slot := position
        }
    }

    // ------------------------------------------------------------------ ownership (ERC-173)

    function setContractOwner(address _newOwner) internal {
        DiamondStorage storage ds = diamondStorage();
        address previousOwner = ds.contractOwner;
        ds.contractOwner = _newOwner;
        emit OwnershipTransferred(previousOwner, _newOwner);
    }

    function contractOwner() internal view returns (address) {
        return diamondStorage().contractOwner;
    }

    function enforceIsContractOwner() internal view {
        require(msg.sender == diamondStorage().contractOwner, "LibDiamond: Must be contract owner");
    }

    // ------------------------------------------------------------------ cuts (EIP-2535)

    /// @notice The full EIP-2535 diamondCut: apply, emit DiamondCut, then run the initializer.
    function diamondCut(IDiamondCut.FacetCut[] memory _diamondCut, address _init, bytes memory _calldata) internal {
        applyCuts(_diamondCut);
        emit DiamondCut(_diamondCut, _init, _calldata);
        initializeDiamondCut(_init, _calldata);
    }

    /// @notice Applies the cuts to storage without emitting anything.
    function applyCuts(IDiamondCut.FacetCut[] memory _diamondCut) internal {
        for (uint256 i = 0; i < _diamondCut.length; i++) {
            IDiamondCut.FacetCut memory cut = _diamondCut[i];
            if (cut.action == IDiamondCut.FacetCutAction.Add) {
                addFunctions(cut.facetAddress, cut.functionSelectors);
            } else if (cut.action == IDiamondCut.FacetCutAction.Replace) {
                replaceFunctions(cut.facetAddress, cut.functionSelectors);
            } else if (cut.action == IDiamondCut.FacetCutAction.Remove) {
                removeFunctions(cut.facetAddress, cut.functionSelectors);
            } else {
                revert("LibDiamondCut: Incorrect FacetCutAction");
            }
        }
    }

    function addFunctions(address _facet, bytes4[] memory _selectors) internal {
        require(_selectors.length > 0, "LibDiamondCut: No selectors in facet to cut");
        require(_facet != address(0), "LibDiamondCut: Add facet can't be address(0)");
        DiamondStorage storage ds = diamondStorage();
        for (uint256 i = 0; i < _selectors.length; i++) {
            bytes4 selector = _selectors[i];
            require(ds.selectorSlots[selector].facetAddress == address(0), "LibDiamondCut: Can't add function that already exists");
            addFunction(ds, _facet, selector);
        }
    }

    function replaceFunctions(address _facet, bytes4[] memory _selectors) internal {
        require(_selectors.length > 0, "LibDiamondCut: No selectors in facet to cut");
        require(_facet != address(0), "LibDiamondCut: Replace facet can't be address(0)");
        DiamondStorage storage ds = diamondStorage();
        for (uint256 i = 0; i < _selectors.length; i++) {
            bytes4 selector = _selectors[i];
            address oldFacet = ds.selectorSlots[selector].facetAddress;
            require(oldFacet != address(0), "LibDiamondCut: Can't replace function that doesn't exist");
            require(oldFacet != address(this), "LibDiamondCut: Can't replace immutable function");
            require(oldFacet != _facet, "LibDiamondCut: Can't replace function with same function");
            removeFunction(ds, oldFacet, selector);
            addFunction(ds, _facet, selector);
        }
    }

    function removeFunctions(address _facet, bytes4[] memory _selectors) internal {
        require(_selectors.length > 0, "LibDiamondCut: No selectors in facet to cut");
        require(_facet == address(0), "LibDiamondCut: Remove facet address must be address(0)");
        DiamondStorage storage ds = diamondStorage();
        for (uint256 i = 0; i < _selectors.length; i++) {
            bytes4 selector = _selectors[i];
            address oldFacet = ds.selectorSlots[selector].facetAddress;
            require(oldFacet != address(0), "LibDiamondCut: Can't remove function that doesn't exist");
            require(oldFacet != address(this), "LibDiamondCut: Can't remove immutable function");
            removeFunction(ds, oldFacet, selector);
        }
    }

    /// @dev Records `_selector` -> `_facet`. A facet seen for the first time is appended to the
    ///      facet list. Immutable functions (facet == this diamond) need no code check: during the
    ///      constructor the diamond has no code yet.
    function addFunction(DiamondStorage storage ds, address _facet, bytes4 _selector) private {
        FacetSelectors storage fs = ds.facetSelectors[_facet];
        if (fs.selectors.length == 0) {
            if (_facet != address(this)) {
                require(_facet.code.length > 0, "LibDiamondCut: New facet has no code");
            }
            fs.facetPosition = ds.facetAddresses.length;
            ds.facetAddresses.push(_facet);
        }
        ds.selectorSlots[_selector] = SelectorSlot({facetAddress: _facet, position: uint96(fs.selectors.length)});
        fs.selectors.push(_selector);
    }

    /// @dev Forgets `_selector` (owned by `_facet`): swap-and-pop in the facet's selector list, and
    ///      swap-and-pop the facet out of the facet list when it has no selector left.
    function removeFunction(DiamondStorage storage ds, address _facet, bytes4 _selector) private {
        FacetSelectors storage fs = ds.facetSelectors[_facet];
        uint256 position = ds.selectorSlots[_selector].position;
        uint256 lastPosition = fs.selectors.length - 1;
        if (position != lastPosition) {
            bytes4 lastSelector = fs.selectors[lastPosition];
            fs.selectors[position] = lastSelector;
            ds.selectorSlots[lastSelector].position = uint96(position);
        }
        fs.selectors.pop();
        delete ds.selectorSlots[_selector];

        if (lastPosition == 0) {
            uint256 facetPosition = fs.facetPosition;
            uint256 lastFacetPosition = ds.facetAddresses.length - 1;
            if (facetPosition != lastFacetPosition) {
                address lastFacet = ds.facetAddresses[lastFacetPosition];
                ds.facetAddresses[facetPosition] = lastFacet;
                ds.facetSelectors[lastFacet].facetPosition = facetPosition;
            }
            ds.facetAddresses.pop();
            delete ds.facetSelectors[_facet].facetPosition;
        }
    }

    /// @notice Runs `_init` with `_calldata` through delegatecall (nothing when `_init` is 0).
    function initializeDiamondCut(address _init, bytes memory _calldata) internal {
        if (_init == address(0)) {
            return;
        }
        require(_init.code.length > 0, "LibDiamondCut: _init address has no code");
        (bool success, bytes memory returndata) = _init.delegatecall(_calldata);
        if (!success) {
            if (returndata.length > 0) {
                assembly {
                    revert(add(returndata, 0x20), mload(returndata))
                }
            }
            revert("LibDiamondCut: _init function reverted");
        }
    }
}
