// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title Test facet B: b01()..b22() return 2001..2022.
contract TestFacetB {
    function b01() external pure returns (uint256) {
        return 2001;
    }

    function b02() external pure returns (uint256) {
        return 2002;
    }

    function b03() external pure returns (uint256) {
        return 2003;
    }

    function b04() external pure returns (uint256) {
        return 2004;
    }

    function b05() external pure returns (uint256) {
        return 2005;
    }

    function b06() external pure returns (uint256) {
        return 2006;
    }

    function b07() external pure returns (uint256) {
        return 2007;
    }

    function b08() external pure returns (uint256) {
        return 2008;
    }

    function b09() external pure returns (uint256) {
        return 2009;
    }

    function b10() external pure returns (uint256) {
        return 2010;
    }

    function b11() external pure returns (uint256) {
        return 2011;
    }

    function b12() external pure returns (uint256) {
        return 2012;
    }

    function b13() external pure returns (uint256) {
        return 2013;
    }

    function b14() external pure returns (uint256) {
        return 2014;
    }

    function b15() external pure returns (uint256) {
        return 2015;
    }

    function b16() external pure returns (uint256) {
        return 2016;
    }

    function b17() external pure returns (uint256) {
        return 2017;
    }

    function b18() external pure returns (uint256) {
        return 2018;
    }

    function b19() external pure returns (uint256) {
        return 2019;
    }

    function b20() external pure returns (uint256) {
        return 2020;
    }

    function b21() external pure returns (uint256) {
        return 2021;
    }

    function b22() external pure returns (uint256) {
        return 2022;
    }
}
