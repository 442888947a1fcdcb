// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";
import {Diamond} from "./Diamond.sol";
import {DiamondCutFacet} from "./DiamondCutFacet.sol";
import {DiamondLoupeFacet} from "./DiamondLoupeFacet.sol";
import {OwnershipFacet} from "./OwnershipFacet.sol";
import {DiamondInit} from "./DiamondInit.sol";

/// @title Gemforce-compatible diamond factory (CREATE2).
/// @notice The factory owner registers a default facet set (no event). create(settings) deploys
///         a Diamond owned by the caller (not settings.owner), so the one creation transaction
///         emits: DiamondCut, OwnershipTransferred(0x0, caller), Initialized(1) (all from the new
///         diamond), then DiamondCreated (from this factory). The factory emits nothing else.
contract DiamondFactory {
    struct DiamondSettings {
        address owner;
        address factory;
        address svgManager;
        string symbol;
        string name;
    }

    /// The indexed `symbol` topic is keccak256(bytes(symbol)); read the symbol from `settings`.
    event DiamondCreated(address indexed factory, address indexed diamond, string indexed symbol, DiamondSettings settings);

    address public owner;

    IDiamondCut.FacetCut[] private defaultCuts;
    address private defaultInit;
    bytes private defaultInitCalldata;

    address[] private diamonds;
    mapping(address => bool) public isDiamond;
    /// keccak256(abi.encode(creator, keccak256(bytes(symbol)))) => diamonds created so far
    mapping(bytes32 => uint256) private symbolNonces;

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "DiamondFactory: Must be factory owner");
        _;
    }

    /// @notice Factory owner only, no event. Hands the factory to `_newOwner`.
    function setOwner(address _newOwner) external onlyOwner {
        owner = _newOwner;
    }

    /// @notice Registers the standard facet set (factory owner only, no event): every selector
    ///         of the cut, loupe and ownership facets, and `_diamondInit` with calldata `init()`.
    function setFacets(address _diamondCutFacet, address _diamondLoupeFacet, address _ownershipFacet, address _diamondInit)
        external
        onlyOwner
    {
        delete defaultCuts;

        IDiamondCut.FacetCut storage cutFacet = defaultCuts.push();
        cutFacet.facetAddress = _diamondCutFacet;
        cutFacet.action = IDiamondCut.FacetCutAction.Add;
        cutFacet.functionSelectors.push(DiamondCutFacet.diamondCut.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.proposeDiamondCut.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.executeDiamondCut.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.cancelDiamondCut.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.pendingDiamondCut.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.pendingDiamondCutDetails.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.upgradeDelay.selector);
        cutFacet.functionSelectors.push(DiamondCutFacet.setUpgradeDelay.selector);

        IDiamondCut.FacetCut storage loupeFacet = defaultCuts.push();
        loupeFacet.facetAddress = _diamondLoupeFacet;
        loupeFacet.action = IDiamondCut.FacetCutAction.Add;
        loupeFacet.functionSelectors.push(DiamondLoupeFacet.facets.selector);
        loupeFacet.functionSelectors.push(DiamondLoupeFacet.facetFunctionSelectors.selector);
        loupeFacet.functionSelectors.push(DiamondLoupeFacet.facetAddresses.selector);
        loupeFacet.functionSelectors.push(DiamondLoupeFacet.facetAddress.selector);
        loupeFacet.functionSelectors.push(DiamondLoupeFacet.supportsInterface.selector);

        IDiamondCut.FacetCut storage ownershipFacet = defaultCuts.push();
        ownershipFacet.facetAddress = _ownershipFacet;
        ownershipFacet.action = IDiamondCut.FacetCutAction.Add;
        ownershipFacet.functionSelectors.push(OwnershipFacet.owner.selector);
        ownershipFacet.functionSelectors.push(OwnershipFacet.transferOwnership.selector);

        defaultInit = _diamondInit;
        defaultInitCalldata = _diamondInit == address(0) ? bytes("") : abi.encodeCall(DiamondInit.init, ());
    }

    /// @notice Registers any facet set (factory owner only, no event).
    function setFacetCuts(IDiamondCut.FacetCut[] calldata _cuts, address _init, bytes calldata _initCalldata)
        external
        onlyOwner
    {
        delete defaultCuts;
        for (uint256 i = 0; i < _cuts.length; i++) {
            IDiamondCut.FacetCut storage stored = defaultCuts.push();
            stored.facetAddress = _cuts[i].facetAddress;
            stored.action = _cuts[i].action;
            stored.functionSelectors = _cuts[i].functionSelectors;
        }
        defaultInit = _init;
        defaultInitCalldata = _initCalldata;
    }

    /// @notice The registered facet set: the initial cut, the initializer and its calldata.
    function facetSet()
        external
        view
        returns (IDiamondCut.FacetCut[] memory cuts, address init, bytes memory initCalldata)
    {
        return (defaultCuts, defaultInit, defaultInitCalldata);
    }

    /// @notice Deploys a Diamond with the registered facet set, owned by msg.sender.
    function create(DiamondSettings calldata _settings) external returns (address diamond) {
        require(defaultCuts.length > 0, "DiamondFactory: Facets not set");
        bytes32 key = _symbolKey(msg.sender, _settings.symbol);
        bytes32 salt = keccak256(abi.encode(key, symbolNonces[key]));
        symbolNonces[key] += 1;
        diamond = address(new Diamond{salt: salt}(msg.sender, defaultCuts, defaultInit, defaultInitCalldata));
        diamonds.push(diamond);
        isDiamond[diamond] = true;
        emit DiamondCreated(address(this), diamond, _settings.symbol, _settings);
    }

    /// @notice The address the next create() by `_creator` with `_symbol` will deploy to, given
    ///         the facet set registered now.
    function predictAddress(address _creator, string calldata _symbol) external view returns (address) {
        bytes32 key = _symbolKey(_creator, _symbol);
        bytes32 salt = keccak256(abi.encode(key, symbolNonces[key]));
        bytes32 initCodeHash = keccak256(
            abi.encodePacked(
                type(Diamond).creationCode, abi.encode(_creator, defaultCuts, defaultInit, defaultInitCalldata)
            )
        );
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }

    function diamondsCount() external view returns (uint256) {
        return diamonds.length;
    }

    function diamondAt(uint256 _index) external view returns (address) {
        return diamonds[_index];
    }

    function _symbolKey(address _creator, string calldata _symbol) private pure returns (bytes32) {
        return keccak256(abi.encode(_creator, keccak256(bytes(_symbol))));
    }
}
