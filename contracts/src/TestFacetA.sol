// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title Test facet A: a01()..a22() return 1001..1022, plus supportsInterface(bytes4).
contract TestFacetA {
    function a01() external pure returns (uint256) {
        return 1001;
    }

    function a02() external pure returns (uint256) {
        return 1002;
    }

    function a03() external pure returns (uint256) {
        return 1003;
    }

    function a04() external pure returns (uint256) {
        return 1004;
    }

    function a05() external pure returns (uint256) {
        return 1005;
    }

    function a06() external pure returns (uint256) {
        return 1006;
    }

    function a07() external pure returns (uint256) {
        return 1007;
    }

    function a08() external pure returns (uint256) {
        return 1008;
    }

    function a09() external pure returns (uint256) {
        return 1009;
    }

    function a10() external pure returns (uint256) {
        return 1010;
    }

    function a11() external pure returns (uint256) {
        return 1011;
    }

    function a12() external pure returns (uint256) {
        return 1012;
    }

    function a13() external pure returns (uint256) {
        return 1013;
    }

    function a14() external pure returns (uint256) {
        return 1014;
    }

    function a15() external pure returns (uint256) {
        return 1015;
    }

    function a16() external pure returns (uint256) {
        return 1016;
    }

    function a17() external pure returns (uint256) {
        return 1017;
    }

    function a18() external pure returns (uint256) {
        return 1018;
    }

    function a19() external pure returns (uint256) {
        return 1019;
    }

    function a20() external pure returns (uint256) {
        return 1020;
    }

    function a21() external pure returns (uint256) {
        return 1021;
    }

    function a22() external pure returns (uint256) {
        return 1022;
    }

    /// @notice Same selector as the loupe's supportsInterface (0x01ffc9a7), so a cut can Replace it.
    ///         True only for 0xaabbccdd and ERC-165's own id.
    function supportsInterface(bytes4 _interfaceId) external pure returns (bool) {
        return _interfaceId == 0xaabbccdd || _interfaceId == 0x01ffc9a7;
    }
}
