// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title Emits logs whose topic0 is DiamondCut's but whose data is not valid ABI.
/// @notice Stateless: deploy it alone, or add its selectors to a diamond as a facet so that the
///         broken logs come from the diamond's address.
contract BrokenEmitter {
    /// keccak256("DiamondCut((address,uint8,bytes4[])[],address,bytes)")
    bytes32 internal constant DIAMOND_CUT_TOPIC = 0x8faa70878671ccd212d20771b795c50af8fd3ff6cf27f4bde57e5d4de0aeb673;

    /// @notice One log: topic0 = DiamondCut, data = `data` exactly as given.
    function emitBroken(bytes calldata data) external {
        bytes memory copy = data;
        bytes32 topic = DIAMOND_CUT_TOPIC;
        assembly {
            log1(add(copy, 0x20), mload(copy), topic)
        }
    }

    /// @notice One log whose single cut claims 2^64 - 1 selectors (the data has none).
    function emitBigSelectorArray() external {
        _emitSelectorArrayLength(type(uint64).max);
    }

    /// @notice One log whose single cut claims `length` selectors (the data has none).
    function emitSelectorArrayLength(uint256 length) external {
        _emitSelectorArrayLength(length);
    }

    function _emitSelectorArrayLength(uint256 length) private {
        // Well-formed heads, then a selector array length with no elements behind it:
        // 0x000 offset of _diamondCut (0x60)   0x020 _init (0)   0x040 offset of _calldata (0x120)
        // 0x060 _diamondCut.length (1)          0x080 offset of cut 0 (0x20, from 0x080)
        // 0x0a0 cut 0: facetAddress  0x0c0 action (0 = Add)  0x0e0 offset of selectors (0x60, from 0x0a0)
        // 0x100 selectors.length (`length`)     0x120 _calldata.length (0)
        bytes memory data = abi.encode(
            uint256(0x60),
            address(0),
            uint256(0x120),
            uint256(1),
            uint256(0x20),
            address(this),
            uint256(0),
            uint256(0x60),
            length,
            uint256(0)
        );
        bytes32 topic = DIAMOND_CUT_TOPIC;
        assembly {
            log1(add(data, 0x20), mload(data), topic)
        }
    }
}
