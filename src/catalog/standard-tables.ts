/**
 * The System layer's catalog: the standard Dataverse tables that real solutions reference, with
 * their columns. Facts from Microsoft's public table/column reference — the Power Apps
 * "table/entity reference" pages for platform tables (source 'dataverse') and the Dynamics 365
 * Customer Engagement developer reference for the app tables (source 'dynamics365') — written
 * down by the strata project and checked column by column against those pages (2026-11-24):
 * every column listed here is on its table's page, with the type the page gives. Columns that
 * app solutions add to standard tables (msdyn_, adx_, ... prefixes) are left out: they come
 * with their solutions, not with the platform.
 *
 * A column is `logicalname:type` or `logicalname:type>target,target` (lookups; polymorphic
 * lookups to very many tables keep only the common targets; a long list of targets goes on over
 * the next line after a comma). Type codes: s string, m memo, i integer, bi bigint, d decimal,
 * f double, $ money, b boolean, dt datetime, p picklist, st state, ss status, l lookup,
 * c customer, o owner, u uniqueidentifier, pk primary key, img image, pl party list, v virtual,
 * mp multi-select picklist, e entity name, mg managed property, fl file.
 */
export type ColumnType =
  | 'nvarchar'
  | 'ntext'
  | 'int'
  | 'bigint'
  | 'decimal'
  | 'float'
  | 'money'
  | 'bit'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'lookup'
  | 'customer'
  | 'owner'
  | 'uniqueidentifier'
  | 'primarykey'
  | 'image'
  | 'partylist'
  | 'virtual'
  | 'multiselectpicklist'
  | 'entityname'
  | 'managedproperty'
  | 'file';
export type Column = [name: string, type: ColumnType, target?: string[]];

export interface TableDef {
  name: string;
  display: string;
  /** the object type code; left out where the reference page gives none (solution tables) */
  otc?: number;
  /** user (and team) owned, organization owned, business owned, or none */
  ownership: 'user' | 'org' | 'business' | 'none';
  primaryId: string;
  primaryName: string;
  activity?: boolean;
  /** which reference the columns were checked against */
  source: 'dataverse' | 'dynamics365';
  columns: Column[];
}

const TYPE_CODES: Record<string, ColumnType> = {
  s: 'nvarchar',
  m: 'ntext',
  i: 'int',
  bi: 'bigint',
  d: 'decimal',
  f: 'float',
  $: 'money',
  b: 'bit',
  dt: 'datetime',
  p: 'picklist',
  st: 'state',
  ss: 'status',
  l: 'lookup',
  c: 'customer',
  o: 'owner',
  u: 'uniqueidentifier',
  pk: 'primarykey',
  img: 'image',
  pl: 'partylist',
  v: 'virtual',
  mp: 'multiselectpicklist',
  e: 'entityname',
  mg: 'managedproperty',
  fl: 'file',
};

function cols(spec: string): Column[] {
  return spec
    .trim()
    .replace(/,\s+/g, ',') // a long target list goes on over the next line after a comma
    .split(/\s+/)
    .map((item): Column => {
      const [head, targets] = item.split('>');
      const [name, code] = head.split(':');
      const type = TYPE_CODES[code];
      if (!type) throw new Error(`catalog: unknown type code "${code}" for ${name}`);
      return targets ? [name, type, targets.split(',')] : [name, type];
    });
}

export const STANDARD_TABLES: TableDef[] = [
  {
    name: 'account',
    display: 'Account',
    otc: 1,
    ownership: 'user',
    primaryId: 'accountid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      accountcategorycode:p accountclassificationcode:p accountid:pk accountnumber:s
      accountratingcode:p address1_addressid:u address1_addresstypecode:p address1_city:s
      address1_country:s address1_county:s address1_fax:s address1_freighttermscode:p
      address1_latitude:f address1_line1:s address1_line2:s address1_line3:s address1_longitude:f
      address1_name:s address1_postalcode:s address1_postofficebox:s
      address1_primarycontactname:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_freighttermscode:p
      address2_latitude:f address2_line1:s address2_line2:s address2_line3:s address2_longitude:f
      address2_name:s address2_postalcode:s address2_postofficebox:s
      address2_primarycontactname:s address2_shippingmethodcode:p address2_stateorprovince:s
      address2_telephone1:s address2_telephone2:s address2_telephone3:s address2_upszone:s
      address2_utcoffset:i businesstypecode:p creditlimit:$ creditonhold:b customersizecode:p
      customertypecode:p description:m donotbulkemail:b donotbulkpostalmail:b donotemail:b
      donotfax:b donotphone:b donotpostalmail:b donotsendmm:b emailaddress1:s emailaddress2:s
      emailaddress3:s entityimage:img fax:s followemail:b ftpsiteurl:s importsequencenumber:i
      industrycode:p lastonholdtime:dt lastusedincampaign:dt marketcap:$ marketingonly:b name:s
      numberofemployees:i overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      ownershipcode:p parentaccountid:l>account participatesinworkflow:b paymenttermscode:p
      preferredappointmentdaycode:p preferredappointmenttimecode:p preferredcontactmethodcode:p
      preferredsystemuserid:l>systemuser primarycontactid:l>contact primarysatoriid:s
      primarytwitterid:s processid:u revenue:$ sharesoutstanding:i shippingmethodcode:p sic:s
      slaid:l>sla stageid:u statecode:st statuscode:ss stockexchange:s telephone1:s telephone2:s
      telephone3:s territorycode:p tickersymbol:s timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      websiteurl:s yominame:s address1_composite:m address2_composite:m aging30:$ aging30_base:$
      aging60:$ aging60_base:$ aging90:$ aging90_base:$ createdby:l>systemuser
      createdbyexternalparty:l>externalparty createdbyexternalpartyname:s
      createdbyexternalpartyyominame:s createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      creditlimit_base:$ entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d isprivate:b marketcap_base:$ masteraccountidname:s masteraccountidyominame:s
      masterid:l>account merged:b modifiedby:l>systemuser modifiedbyexternalparty:l>externalparty
      modifiedbyexternalpartyname:s modifiedbyexternalpartyyominame:s modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser parentaccountidname:s parentaccountidyominame:s
      preferredsystemuseridname:s preferredsystemuseridyominame:s primarycontactidname:s
      primarycontactidyominame:s revenue_base:$ slainvokedid:l>sla slainvokedidname:s slaname:s
      timespentbymeonemailandmeetings:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'contact',
    display: 'Contact',
    otc: 2,
    ownership: 'user',
    primaryId: 'contactid',
    primaryName: 'fullname',
    source: 'dataverse',
    columns: cols(`
      accountrolecode:p address1_addressid:u address1_addresstypecode:p address1_city:s
      address1_country:s address1_county:s address1_fax:s address1_freighttermscode:p
      address1_latitude:f address1_line1:s address1_line2:s address1_line3:s address1_longitude:f
      address1_name:s address1_postalcode:s address1_postofficebox:s
      address1_primarycontactname:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_freighttermscode:p
      address2_latitude:f address2_line1:s address2_line2:s address2_line3:s address2_longitude:f
      address2_name:s address2_postalcode:s address2_postofficebox:s
      address2_primarycontactname:s address2_shippingmethodcode:p address2_stateorprovince:s
      address2_telephone1:s address2_telephone2:s address2_telephone3:s address2_upszone:s
      address2_utcoffset:i address3_addressid:u address3_addresstypecode:p address3_city:s
      address3_country:s address3_county:s address3_fax:s address3_freighttermscode:p
      address3_latitude:f address3_line1:s address3_line2:s address3_line3:s address3_longitude:f
      address3_name:s address3_postalcode:s address3_postofficebox:s
      address3_primarycontactname:s address3_shippingmethodcode:p address3_stateorprovince:s
      address3_telephone1:s address3_telephone2:s address3_telephone3:s address3_upszone:s
      address3_utcoffset:i anniversary:dt annualincome:$ assistantname:s assistantphone:s
      birthdate:dt business2:s callback:s childrensnames:s company:s contactid:pk creditlimit:$
      creditonhold:b customersizecode:p customertypecode:p department:s description:m
      donotbulkemail:b donotbulkpostalmail:b donotemail:b donotfax:b donotphone:b
      donotpostalmail:b donotsendmm:b educationcode:p emailaddress1:s emailaddress2:s
      emailaddress3:s employeeid:s entityimage:img externaluseridentifier:s familystatuscode:p
      fax:s firstname:s followemail:b ftpsiteurl:s gendercode:p governmentid:s haschildrencode:p
      home2:s importsequencenumber:i isbackofficecustomer:b jobtitle:s lastname:s
      lastonholdtime:dt lastusedincampaign:dt leadsourcecode:p managername:s managerphone:s
      marketingonly:b middlename:s mobilephone:s nickname:s numberofchildren:i
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e pager:s
      parentcustomerid:c>account,contact parentcustomeridtype:e participatesinworkflow:b
      paymenttermscode:p preferredappointmentdaycode:p preferredappointmenttimecode:p
      preferredcontactmethodcode:p preferredsystemuserid:l>systemuser processid:u salutation:s
      shippingmethodcode:p slaid:l>sla spousesname:s stageid:u statecode:st statuscode:ss
      subscriptionid:u suffix:s telephone1:s telephone2:s telephone3:s territorycode:p
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency traversedpath:s
      utcconversiontimezonecode:i websiteurl:s yomifirstname:s yomilastname:s yomimiddlename:s
      accountid:l>account accountidname:s accountidyominame:s address1_composite:m
      address2_composite:m address3_composite:m aging30:$ aging30_base:$ aging60:$ aging60_base:$
      aging90:$ aging90_base:$ annualincome_base:$ createdby:l>systemuser
      createdbyexternalparty:l>externalparty createdbyexternalpartyname:s
      createdbyexternalpartyyominame:s createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      creditlimit_base:$ entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d fullname:s isautocreate:b isprivate:b mastercontactidname:s
      mastercontactidyominame:s masterid:l>contact merged:b modifiedby:l>systemuser
      modifiedbyexternalparty:l>externalparty modifiedbyexternalpartyname:s
      modifiedbyexternalpartyyominame:s modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningbusinessunitname:s owningteam:l>team owninguser:l>systemuser
      parentcontactid:l>contact parentcontactidname:s parentcontactidyominame:s
      parentcustomeridname:s parentcustomeridyominame:s preferredsystemuseridname:s
      preferredsystemuseridyominame:s slainvokedid:l>sla slainvokedidname:s slaname:s
      timespentbymeonemailandmeetings:s transactioncurrencyidname:s versionnumber:bi
      yomifullname:s`),
  },
  {
    name: 'lead',
    display: 'Lead',
    otc: 4,
    ownership: 'user',
    primaryId: 'leadid',
    primaryName: 'fullname',
    source: 'dynamics365',
    columns: cols(`
      address1_addressid:u address1_addresstypecode:p address1_city:s address1_country:s
      address1_county:s address1_fax:s address1_latitude:f address1_line1:s address1_line2:s
      address1_line3:s address1_longitude:f address1_name:s address1_postalcode:s
      address1_postofficebox:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_latitude:f address2_line1:s
      address2_line2:s address2_line3:s address2_longitude:f address2_name:s
      address2_postalcode:s address2_postofficebox:s address2_shippingmethodcode:p
      address2_stateorprovince:s address2_telephone1:s address2_telephone2:s
      address2_telephone3:s address2_upszone:s address2_utcoffset:i budgetamount:$ budgetstatus:p
      campaignid:l>campaign companyname:s confirminterest:b customerid:c>account,contact
      customeridtype:e decisionmaker:b description:m donotbulkemail:b donotemail:b donotfax:b
      donotphone:b donotpostalmail:b donotsendmm:b emailaddress1:s emailaddress2:s
      emailaddress3:s entityimage:img estimatedamount:$ estimatedclosedate:dt estimatedvalue:f
      evaluatefit:b fax:s firstname:s followemail:b importsequencenumber:i industrycode:p
      initialcommunication:p jobtitle:s lastname:s lastonholdtime:dt lastusedincampaign:dt
      leadid:pk leadqualitycode:p leadsourcecode:p middlename:s mobilephone:s need:p
      numberofemployees:i originatingcaseid:l>incident overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e pager:s parentaccountid:l>account
      parentcontactid:l>contact participatesinworkflow:b preferredcontactmethodcode:p
      prioritycode:p processid:u purchaseprocess:p purchasetimeframe:p qualificationcomments:m
      qualifyingopportunityid:l>opportunity relatedobjectid:l>campaignresponse revenue:$
      salesstage:p salesstagecode:p salutation:s schedulefollowup_prospect:dt
      schedulefollowup_qualify:dt sic:s slaid:l>sla stageid:u statecode:st statuscode:ss
      subject:s telephone1:s telephone2:s telephone3:s timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      websiteurl:s yomicompanyname:s yomifirstname:s yomilastname:s yomimiddlename:s
      accountid:l>account accountidname:s accountidyominame:s address1_composite:m
      address2_composite:m budgetamount_base:$ campaignidname:s contactid:l>contact
      contactidname:s contactidyominame:s createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s customeridname:s customeridyominame:s entityimage_timestamp:bi
      entityimage_url:s entityimageid:u estimatedamount_base:$ exchangerate:d fullname:s
      isautocreate:b isprivate:b masterid:l>lead masterleadidname:s masterleadidyominame:s
      merged:b modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i originatingcaseidname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      parentaccountidname:s parentaccountidyominame:s parentcontactidname:s
      parentcontactidyominame:s qualifyingopportunityidname:s relatedobjectidname:s
      revenue_base:$ slainvokedid:l>sla slainvokedidname:s slaname:s
      timespentbymeonemailandmeetings:s transactioncurrencyidname:s versionnumber:bi
      yomifullname:s`),
  },
  {
    name: 'opportunity',
    display: 'Opportunity',
    otc: 3,
    ownership: 'user',
    primaryId: 'opportunityid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      actualclosedate:dt actualvalue:$ budgetamount:$ budgetstatus:p campaignid:l>campaign
      captureproposalfeedback:b closeprobability:i completefinalproposal:b
      completeinternalreview:b confirminterest:b currentsituation:m customerid:c>account,contact
      customeridtype:e customerneed:m customerpainpoints:m decisionmaker:b description:m
      developproposal:b discountamount:$ discountpercentage:d emailaddress:s
      estimatedclosedate:dt estimatedvalue:$ evaluatefit:b filedebrief:b finaldecisiondate:dt
      freightamount:$ identifycompetitors:b identifycustomercontacts:b identifypursuitteam:b
      importsequencenumber:i initialcommunication:p isrevenuesystemcalculated:b lastonholdtime:dt
      name:s need:p opportunityid:pk opportunityratingcode:p originatingleadid:l>lead
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e parentaccountid:l>account
      parentcontactid:l>contact participatesinworkflow:b presentfinalproposal:b presentproposal:b
      pricelevelid:l>pricelevel pricingerrorcode:p prioritycode:p processid:u proposedsolution:m
      purchaseprocess:p purchasetimeframe:p pursuitdecision:b qualificationcomments:m
      quotecomments:m resolvefeedback:b salesstage:p salesstagecode:p
      schedulefollowup_prospect:dt schedulefollowup_qualify:dt scheduleproposalmeeting:dt
      sendthankyounote:b slaid:l>sla stageid:u statecode:st statuscode:ss stepid:u stepname:s
      timeline:p timezoneruleversionnumber:i totalamount:$ totalamountlessfreight:$
      totaldiscountamount:$ totallineitemamount:$ totallineitemdiscountamount:$ totaltax:$
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      accountid:l>account accountidname:s accountidyominame:s actualvalue_base:$
      budgetamount_base:$ campaignidname:s contactid:l>contact contactidname:s
      contactidyominame:s createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s discountamount_base:$ estimatedvalue_base:$
      exchangerate:d freightamount_base:$ isprivate:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i originatingleadidname:s
      originatingleadidyominame:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      parentaccountidname:s parentaccountidyominame:s parentcontactidname:s
      parentcontactidyominame:s pricelevelidname:s slainvokedid:l>sla slainvokedidname:s
      slaname:s timespentbymeonemailandmeetings:s totalamount_base:$
      totalamountlessfreight_base:$ totaldiscountamount_base:$ totallineitemamount_base:$
      totallineitemdiscountamount_base:$ totaltax_base:$ transactioncurrencyidname:s
      versionnumber:bi`),
  },
  {
    name: 'opportunityproduct',
    display: 'Opportunity Product',
    otc: 1083,
    ownership: 'user',
    primaryId: 'opportunityproductid',
    primaryName: 'productidname',
    source: 'dynamics365',
    columns: cols(`
      baseamount:$ description:m entityimage:img extendedamount:$ importsequencenumber:i
      ispriceoverridden:b isproductoverridden:b lineitemnumber:i manualdiscountamount:$
      opportunityid:l>opportunity opportunityproductid:pk overriddencreatedon:dt parentbundleid:u
      priceperunit:$ pricingerrorcode:p productassociationid:u productdescription:s
      productid:l>product productname:s producttypecode:p propertyconfigurationstatus:p
      quantity:d sequencenumber:i tax:$ timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency uomid:l>uom utcconversiontimezonecode:i
      baseamount_base:$ createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      entityimage_timestamp:bi entityimage_url:s entityimageid:u exchangerate:d
      extendedamount_base:$ manualdiscountamount_base:$ modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s opportunityidname:s opportunitystatecode:p
      ownerid:o>systemuser,team owneridname:s owneridtype:e owneridyominame:s
      owningbusinessunit:l owningteam:l>team owninguser:l priceperunit_base:$ productidname:s
      tax_base:$ transactioncurrencyidname:s uomidname:s versionnumber:bi volumediscountamount:$
      volumediscountamount_base:$`),
  },
  {
    name: 'systemuser',
    display: 'User',
    otc: 8,
    ownership: 'business',
    primaryId: 'systemuserid',
    primaryName: 'fullname',
    source: 'dataverse',
    columns: cols(`
      accessmode:p address1_addressid:u address1_addresstypecode:p address1_city:s
      address1_country:s address1_county:s address1_fax:s address1_latitude:f address1_line1:s
      address1_line2:s address1_line3:s address1_longitude:f address1_name:s
      address1_postalcode:s address1_postofficebox:s address1_shippingmethodcode:p
      address1_stateorprovince:s address1_telephone1:s address1_telephone2:s
      address1_telephone3:s address1_upszone:s address1_utcoffset:i address2_addressid:u
      address2_addresstypecode:p address2_city:s address2_country:s address2_county:s
      address2_fax:s address2_latitude:f address2_line1:s address2_line2:s address2_line3:s
      address2_longitude:f address2_name:s address2_postalcode:s address2_postofficebox:s
      address2_shippingmethodcode:p address2_stateorprovince:s address2_telephone1:s
      address2_telephone2:s address2_telephone3:s address2_upszone:s address2_utcoffset:i
      applicationid:u azurestate:p businessunitid:l>businessunit calendarid:l>calendar caltype:p
      displayinserviceviews:b domainname:s emailrouteraccessapproval:p employeeid:s
      entityimage:img firstname:s governmentid:s homephone:s importsequencenumber:i
      incomingemaildeliverymethod:p internalemailaddress:s invitestatuscode:p
      isallowedbyipfirewall:b isdisabled:b isintegrationuser:b islicensed:b issyncwithdirectory:b
      jobtitle:s lastname:s middlename:s mobilealertemail:s
      mobileofflineprofileid:l>mobileofflineprofile mobilephone:s nickname:s
      outgoingemaildeliverymethod:p overriddencreatedon:dt parentsystemuserid:l>systemuser
      passporthi:i passportlo:i personalemailaddress:s photourl:s positionid:l>position
      preferredaddresscode:p preferredemailcode:p preferredphonecode:p processid:u
      queueid:l>queue salutation:s setupuser:b sharepointemailaddress:s skills:s stageid:u
      systemmanagedusertype:p systemuserid:pk territoryid:l>territory timezoneruleversionnumber:i
      title:s transactioncurrencyid:l>transactioncurrency traversedpath:s userlicensetype:i
      utcconversiontimezonecode:i windowsliveid:s yammeremailaddress:s yammeruserid:s
      yomifirstname:s yomilastname:s yomimiddlename:s activedirectoryguid:u address1_composite:m
      address2_composite:m applicationiduri:s azureactivedirectoryobjectid:u azuredeletedon:dt
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser
      defaultfilterspopulated:b defaultmailbox:l>mailbox defaultodbfoldername:s deletedstate:p
      disabledreason:s entityimage_timestamp:bi entityimage_url:s entityimageid:u exchangerate:d
      fullname:s identityid:i isactivedirectoryuser:b isemailaddressapprovedbyo365admin:b
      latestupdatetime:dt modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser
      organizationid:u organizationidname:s userpuid:s versionnumber:bi yomifullname:s`),
  },
  {
    name: 'team',
    display: 'Team',
    otc: 9,
    ownership: 'business',
    primaryId: 'teamid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      administratorid:l>systemuser azureactivedirectoryobjectid:u businessunitid:l>businessunit
      description:m emailaddress:s importsequencenumber:i membershiptype:p name:s
      overriddencreatedon:dt processid:u queueid:l>queue regardingobjectid:l>knowledgearticle
      regardingobjecttypecode:e stageid:u teamid:pk teamtemplateid:l>teamtemplate teamtype:p
      transactioncurrencyid:l>transactioncurrency traversedpath:s yominame:s
      administratoridname:s administratoridyominame:s businessunitidname:s createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s exchangerate:d isdefault:b
      issastokenset:b modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:u organizationidname:s queueidname:s sastoken:s sharelinkqualifier:s
      systemmanaged:b transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'businessunit',
    display: 'Business Unit',
    otc: 10,
    ownership: 'business',
    primaryId: 'businessunitid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      address1_addressid:u address1_addresstypecode:p address1_city:s address1_country:s
      address1_county:s address1_fax:s address1_latitude:f address1_line1:s address1_line2:s
      address1_line3:s address1_longitude:f address1_name:s address1_postalcode:s
      address1_postofficebox:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_latitude:f address2_line1:s
      address2_line2:s address2_line3:s address2_longitude:f address2_name:s
      address2_postalcode:s address2_postofficebox:s address2_shippingmethodcode:p
      address2_stateorprovince:s address2_telephone1:s address2_telephone2:s
      address2_telephone3:s address2_upszone:s address2_utcoffset:i businessunitid:pk
      calendarid:l>calendar costcenter:s creditlimit:f description:m divisionname:s
      emailaddress:s fileasname:s ftpsiteurl:s importsequencenumber:i inheritancemask:i
      isdisabled:b name:s overriddencreatedon:dt parentbusinessunitid:l>businessunit picture:m
      stockexchange:s tickersymbol:s transactioncurrencyid:l>transactioncurrency utcoffset:i
      websiteurl:s workflowsuspended:b createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser disabledreason:s exchangerate:d modifiedby:l>systemuser
      modifiedon:dt modifiedonbehalfby:l>systemuser organizationid:l>organization usergroupid:u
      versionnumber:bi`),
  },
  {
    name: 'organization',
    display: 'Organization',
    otc: 1019,
    ownership: 'org',
    primaryId: 'organizationid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      aciwebendpointurl:s acknowledgementtemplateid:l>template activitytypefilter:b
      activitytypefilterv2:b advancedcolumneditorenabled:b advancedcolumnfilteringenabled:b
      advancedfilteringenabled:b advancedlookupenabled:b advancedlookupineditfilter:i
      aipromptsenabled:b allowaddressbooksyncs:b allowapplicationuseraccess:b
      allowautoresponsecreation:b allowautounsubscribe:b allowautounsubscribeacknowledgement:b
      allowclientmessagebarad:b allowconnectorsonpowerfxactions:b
      allowedapplicationsfordvaccess:s allowediprangeforfirewall:s
      allowediprangeforstorageaccesssignatures:s allowedlistofiprangesforfirewall:s
      allowedmimetypes:s allowedservicetagsforfirewall:s allowentityonlyaudit:b
      allowleadingwildcardsingridsearch:b allowleadingwildcardsinquickfind:i
      allowlegacyclientexperience:b allowlegacydialogsembedding:b allowmarketingemailexecution:b
      allowmicrosofttrustedservicetags:b allowofflinescheduledsyncs:b
      allowoutlookscheduledsyncs:b allowredirectadminsettingstomodernui:b
      allowunresolvedpartiesonemailsend:b allowuserformmodepreference:b
      allowusershidingsystemviews:b allowusersseeappdownloadmessage:b
      allowvirtualentitypluginexecutiononnestedpipeline:b allowwebexcelexport:b amdesignator:s
      appdesignerexperienceenabled:b applicationbasedaccesscontrolmode:p
      appointmentricheditorexperience:b appointmentwithteamsmeeting:b
      appointmentwithteamsmeetingv2:b areautomationcenterpreviewfeaturesenabled:b
      areprocessinsightspreviewfeaturesenabled:b auditretentionperiod:i auditretentionperiodv2:i
      auditsettings:s autoapplydefaultoncasecreate:b autoapplydefaultoncaseupdate:b
      autoapplysla:b azureschedulerjobcollectionname:s basecurrencyid:l>transactioncurrency
      bingmapsapikey:s blockaccesstosessiontranscriptsforcopilotstudio:b
      blockcopilotauthorauthentication:b blockedapplicationsfordvaccess:s blockedattachments:s
      blockedmimetypes:s blocktranscriptrecordingforcopilotstudio:b
      bounddashboarddefaultcardexpanded:b bulkoperationprefix:s businesscardoptions:s
      businessclosurecalendarid:u calendartype:i campaignprefix:s canoptoutnewsearchexperience:b
      cascadestatusupdate:b caseprefix:s categoryprefix:s clientfeatureset:s
      contentsecuritypolicyconfiguration:s contentsecuritypolicyconfigurationforcanvas:s
      contentsecuritypolicyoptions:i contentsecuritypolicyreporturi:s contractprefix:s
      copresencerefreshrate:i cortanaproactiveexperienceenabled:b
      createproductswithoutparentinactivestate:b currencydecimalprecision:i
      currencydisplayoption:p currencyformatcode:p currencysymbol:s currentbulkoperationnumber:i
      currentcampaignnumber:i currentcasenumber:i currentcategorynumber:i currentcontractnumber:i
      currentinvoicenumber:i currentkanumber:i currentkbnumber:i currentordernumber:i
      currentquotenumber:i dateformatcode:p dateformatstring:s dateseparator:s
      daysbeforeemaildescriptionismigrated:i daysbeforeinactiveteamschatsyncdisabled:i
      decimalsymbol:s defaultcountrycode:s defaultcrmcustomname:s
      defaultemailserverprofileid:l>emailserverprofile defaultemailsettings:s
      defaultmobileofflineprofileid:l>mobileofflineprofile defaultrecurrenceendrangetype:p
      defaultthemedata:m delegatedadminuserid:u desktopflowqueuelogsttlinminutes:i
      desktopflowrunactionlogsstatus:p desktopflowrunactionlogverbosity:p
      desktopflowrunactionlogversion:p disablesocialcare:b disablesystemlabelscachesharing:b
      discountcalculationmethod:p displaynavigationtour:b emailconnectionchannel:p
      emailcorrelationenabled:b emailsendpollingperiod:i enableasyncmergeapiforuci:b
      enablebingmapsintegration:b enablecanvasappsinsolutionsbydefault:b
      enablecopilotstudiocrossgeosharedatawithvivainsights:b enablecopilotstudiosharedatawithvi:b
      enablecopilotstudiosharedatawithvivainsights:b enableenvironmentsettingsapp:b
      enableflowsinsolutionbydefault:b enableflowsinsolutionbydefaultgraceperiod:b
      enableimmersiveskypeintegration:b enableipbasedcookiebinding:b enableipbasedfirewallrule:b
      enableipbasedfirewallruleinauditmode:b enableipbasedstorageaccesssignaturerule:b
      enablelivepersonacarduci:b enablelivepersoncardintegrationinoffice:b enablelpauthoring:b
      enablemakerswitchtoclassic:b enablemicrosoftflowintegration:b enablepricingoncreate:b
      enablesmartmatching:b enableunifiedclientcdn:b enableunifiedinterfaceshellrefresh:b
      enforcereadonlyplugins:b entityimage:img expirechangetrackingindays:i
      expiresubscriptionsindays:i externalbaseurl:s externalpartycorrelationkeys:s
      externalpartyentitysettings:s featureset:s fiscalcalendarstart:dt fiscalperiodformat:s
      fiscalperiodformatperiod:p fiscalperiodtype:i fiscalyeardisplaycode:i fiscalyearformat:s
      fiscalyearformatprefix:p fiscalyearformatsuffix:p fiscalyearformatyear:p
      fiscalyearperiodconnect:s flowlogsttlinminutes:i flowruntimetoliveinseconds:i
      fullnameconventioncode:p futureexpansionwindow:i generatealertsforerrors:b
      generatealertsforinformation:b generatealertsforwarnings:b getstartedpanecontentenabled:b
      globalappendurlparametersenabled:b globalhelpurl:s globalhelpurlenabled:b
      goalrollupexpirytime:i goalrollupfrequency:i grantaccesstonetworkservice:b
      hashdeltasubjectcount:i hashfilterkeywords:s hashmaxcount:i hashminaddresscount:i
      highcontrastthemedata:m ignoreinternalemail:b improvesearchloggingenabled:b
      inactivitytimeoutenabled:b inactivitytimeoutinmins:i inactivitytimeoutreminderinmins:i
      incomingemailexchangeemailretrievalbatchsize:i initialversion:s integrationuserid:u
      invoiceprefix:s ipbasedstorageaccesssignaturemode:p isactioncardenabled:b
      isactionsupportfeatureenabled:b isactivityanalysisenabled:b isappmode:b
      isappointmentattachmentsyncenabled:b isassignedtaskssyncenabled:b isauditenabled:b
      isautodatacaptureenabled:b isautodatacapturev2enabled:b
      isautoinstallappford365inteamsenabled:b isautosaveenabled:b
      isbasecardstaticfielddataenabled:b isbasicgeospatialintegrationenabled:b
      isbpfentitycustomizationfeatureenabled:b iscloudflowsavingsenabled:b
      iscollaborationexperienceenabled:b iscomputeruseinmcsenabled:b
      isconflictdetectionenabledformobileclient:b iscontactmailingaddresssyncenabled:b
      iscontentsecuritypolicyenabled:b iscontentsecuritypolicyenabledforcanvas:b
      iscontextualemailenabled:b iscontextualhelpenabled:b iscopilotfeedbackenabled:b
      iscustomcontrolsincanvasappsenabled:b isdefaultcountrycodecheckenabled:b
      isdelegateaccessenabled:b isdelveactionhubintegrationenabled:b
      isdesktopflowconnectionembeddingenabled:b isdesktopflowruntimerepairattendedenabled:b
      isdesktopflowruntimerepairunattendedenabled:b isdesktopflowsavingsenabled:b
      isdesktopflowschemav2enabled:b isdesktopflowvanillaimagesharingenabled:b
      isduplicatedetectionenabled:b isduplicatedetectionenabledforimport:b
      isduplicatedetectionenabledforofflinesync:b
      isduplicatedetectionenabledforonlinecreateupdate:b isemailaddressvalidationenabled:b
      isemailmonitoringallowed:b isemailserverprofilecontentfilteringenabled:b
      isenabledforallroles:b isexternalfilestorageenabled:b isexternalsearchindexenabled:b
      isfiscalperiodmonthbased:b isfolderautocreatedonsp:b isfolderbasedtrackingenabled:b
      isfulltextsearchenabled:b isgeospatialazuremapsintegrationenabled:b
      ishierarchicalsecuritymodelenabled:b isideasdatacollectionenabled:b
      isluisenabledford365bot:b ismailboxforcedunlockingenabled:b
      ismailboxinactivebackoffenabled:b ismanualsalesforecastingenabled:b
      ismobileclientondemandsyncenabled:b ismobileofflineenabled:b
      ismodeldrivenappsinmsteamsenabled:b ismoneysavingsallowed:b ismsteamscollaborationenabled:b
      ismsteamsenabled:b ismsteamssettingchangedbyuser:b ismsteamsusersyncenabled:b
      isnewaddproductexperienceenabled:b isnotesanalysisenabled:b
      isnotificationford365inteamsenabled:b isofficegraphenabled:b isonedriveenabled:b
      ispaienabled:b ispdfgenerationenabled:s isperprocesscapacityoverageenabled:b
      isplaybookenabled:b ispresenceenabled:b ispreviewenabledforactioncard:b
      ispreviewforautocaptureenabled:b ispreviewforemailmonitoringallowed:b
      ispricelistmandatory:b isprocesscapacityautoclaimenabled:b
      isquickcreateenabledforopportunityclose:b isreadauditenabled:b
      isrelationshipinsightsenabled:b isresourcebookingexchangesyncenabled:b
      isrichtextnotesenabled:b isrpaautoscaleaadjoinenabled:b isrpaautoscaleenabled:b
      isrpaboxcrossgeoenabled:b isrpaboxenabled:b isrpaunattendedenabled:b
      issalesassistantenabled:b issharinginorgallowed:b issopintegrationenabled:b
      istextwrapenabled:b isuseraccessauditenabled:b isvintegrationcode:p
      isworkqueuesavingsenabled:b iswriteinproductsallowed:b kaprefix:s kbprefix:s kmsettings:s
      languagecode:i legacyapptoggle:p localeid:i longdateformatcode:i
      lookupcharactercountbeforeresolve:i lookupresolvedelayms:i
      mailboxintermittentissueminrange:i mailboxpermanentissueminrange:i maxactionstepsinbpf:i
      maxallowedpendingrollupjobcount:i maxallowedpendingrollupjobpercentage:i
      maxappointmentdurationdays:i maxconditionsformobileofflinefilters:i
      maxdepthforhierarchicalsecuritymodel:i maxfolderbasedtrackingmappings:i
      maximumactivebusinessprocessflowsallowedperentity:i maximumdynamicpropertiesallowed:i
      maximumentitieswithactivesla:i maximumslakpiperentitywithactivesla:i
      maximumtrackingnumber:i maxproductsinbundle:i maxrecordsforexporttoexcel:i
      maxrecordsforlookupfilters:i maxrollupfieldsperentity:i maxrollupfieldsperorg:i
      maxslaitemspersla:i maxuploadfilesize:i microsoftflowenvironment:s
      minaddressbooksyncinterval:i minofflinesyncinterval:i minoutlooksyncinterval:i
      mobileofflinesyncinterval:i modernadvancedfindfiltering:b
      modernappdesignercoauthoringenabled:b multicolumnsortenabled:i name:s
      naturallanguageassistfilter:b negativecurrencyformatcode:i negativeformatcode:p
      newsearchexperienceenabled:b nexttrackingnumber:i
      notifymailboxownerofemailserverlevelalerts:b numberformat:s numbergroupformat:s
      numberseparator:s officeappsautodeploymentenabled:b officegraphdelveurl:s
      oobpricecalculationenabled:b optoutschemav2enabledbydefault:b orderprefix:s
      orgdborgsettings:s orginsightsenabled:b paipreviewscenarioenabled:b pastexpansionwindow:i
      pcfdatasetgridenabled:s performactsyncafter:dt picture:m pinpointlanguagecode:i
      plugintracelogsetting:p pmdesignator:s postmessagewhitelistdomains:s
      powerappsmakerbotenabled:b powerbiallowcrossregionoperations:b
      powerbiautomaticpermissionsassignment:b powerbicomponentscreate:b powerbifeatureenabled:b
      pricingdecimalprecision:i privacystatementurl:s privilegeusergroupid:u
      privreportinggroupid:u privreportinggroupname:s productrecommendationsenabled:b
      qualifyleadadditionaloptions:s quickactiontoopenrecordsinsidepaneenabled:b
      quickfindrecordlimitenabled:b quoteprefix:s recalculatesla:b
      recurrencedefaultnumberofoccurrences:i recurrenceexpansionjobbatchinterval:i
      recurrenceexpansionjobbatchsize:i recurrenceexpansionsynchcreatemax:i referencesitemapxml:s
      releasecadence:i releasechannel:p releasewavename:s relevancesearchenabledbyplatform:b
      relevancesearchmodifiedon:dt rendersecureiframeforemail:b reportinggroupid:u
      reportinggroupname:s reportscripterrors:p requireapprovalforqueueemail:b
      requireapprovalforuseremail:b resolvesimilarunresolvedemailaddress:b
      restrictguestuseraccess:b restrictstatusupdate:b reverseproxyipaddresses:s rierrorstatus:i
      samesitemodeforsessioncookie:p sampledataimportid:u savingeventsttlinminutes:i
      schemanameprefix:s sendbulkemailinuci:b servestaticresourcesfromazurecdn:b
      sessionrecordingenabled:b sessiontimeoutenabled:b sessiontimeoutinmins:i
      sessiontimeoutreminderinmins:i sharepointdeploymenttype:p sharetopreviousowneronassign:b
      showkbarticledeprecationnotification:b showweeknumber:b signupoutlookdownloadfwlink:s
      sitemapxml:m slapausestates:s socialinsightsenabled:b socialinsightsinstance:s
      socialinsightstermsaccepted:b sortid:i sqlaccessgroupid:u sqlaccessgroupname:s sqmenabled:b
      supportuserid:u suppresssla:b suppressvalidationemails:b syncbulkoperationbatchsize:i
      syncbulkoperationmaxlimit:i syncoptinselection:b syncoptinselectionstatus:p systemuserid:u
      tablescopeddvsearchinapps:b tagmaxaggressivecycles:i tagpollingperiod:i
      taskbasedflowenabled:b teamschatdatasync:b telemetryinstrumentationkey:s
      textanalyticsenabled:b timeformatcode:p timeformatstring:s timeseparator:s
      timezoneruleversionnumber:i tokenexpiry:i tokenkey:s tracelogmaximumageindays:i
      trackingprefix:s trackingtokenidbase:i trackingtokeniddigits:i uniquespecifierlength:i
      unresolveemailaddressifmultiplematch:b useinbuiltrulefordefaultpricelistselection:b
      uselegacyrendering:b usepositionhierarchy:b usequickfindviewforgridsearch:b
      useraccessauditinginterval:i usereadform:b usergroupid:u userratingenabled:b
      useskypeprotocol:b utcconversiontimezonecode:i validationmode:p webresourcehash:s
      weekstartdaycode:p widgetproperties:s yammergroupid:i yammernetworkpermalink:s
      yammeroauthaccesstokenexpired:b yammerpostmethod:p yearstartweekcode:i
      basecurrencyprecision:i basecurrencysymbol:s baseisocurrencycode:s createdby:l>systemuser
      createdon:dt createdonbehalfby:l>systemuser currentimportsequencenumber:i
      currentparsedtablenumber:i dayssincerecordlastmodifiedmaxvalue:i disabledreason:s
      entityimage_timestamp:bi entityimage_url:s entityimageid:u fiscalsettingsupdated:b
      isallmoneydecimal:b isclusteringenabled:b isdisabled:b
      maxsupportedinternetexplorerversion:i maxverboseloggingmailbox:i
      maxverboseloggingsynccycles:i metadatasynclasttimeofneverexpireddeletedobjects:dt
      metadatasynctimestamp:bi mobileofflineminlicenseprod:i mobileofflineminlicensetrial:i
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser
      nextcustomobjecttypecode:i organizationid:pk organizationstate:p parsedtablecolumnprefix:s
      parsedtableprefix:s v3calloutconfighash:s versionnumber:bi`),
  },
  {
    name: 'transactioncurrency',
    display: 'Currency',
    otc: 9105,
    ownership: 'org',
    primaryId: 'transactioncurrencyid',
    primaryName: 'currencyname',
    source: 'dataverse',
    columns: cols(`
      currencyname:s currencyprecision:i currencysymbol:s currencytype:p entityimage:img
      exchangerate:d importsequencenumber:i isocurrencycode:s overriddencreatedon:dt statecode:st
      statuscode:ss transactioncurrencyid:pk createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser entityimage_timestamp:bi entityimage_url:s entityimageid:u
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser
      organizationid:l>organization uniquedscid:u versionnumber:bi`),
  },
  {
    name: 'annotation',
    display: 'Note',
    otc: 5,
    ownership: 'user',
    primaryId: 'annotationid',
    primaryName: 'subject',
    source: 'dataverse',
    columns: cols(`
      annotationid:pk documentbody:s filename:s importsequencenumber:i isdocument:b langid:s
      mimetype:s notetext:m objectid:l>account,contact,knowledgearticle objectidtypecode:e
      objecttypecode:e overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e stepid:s
      subject:s createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser
      dummyfilename:s dummyregarding:s filepointer:s filesize:i isprivate:b
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser owneridname:s
      owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser prefix:s storagepointer:s versionnumber:bi`),
  },
  {
    name: 'activitypointer',
    display: 'Activity',
    otc: 4200,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt community:p deliveryprioritycode:p description:m exchangeitemid:s
      exchangeweblink:s isbilled:b ismapiprivate:b isworkflowcreated:b lastonholdtime:dt
      leftvoicemail:b ownerid:o>systemuser,team owneridtype:e prioritycode:p processid:u
      regardingobjectid:l>account,contact,interactionforemail,knowledgearticle,
      knowledgebaserecord regardingobjectidname:s regardingobjectidyominame:s
      regardingobjecttypecode:e scheduleddurationminutes:i scheduledend:dt scheduledstart:dt
      slaid:l>sla sortdate:dt stageid:u statecode:st statuscode:ss subject:s
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency traversedpath:s
      utcconversiontimezonecode:i activitytypecode:e
      allparties:pl>account,contact,queue,systemuser,team createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s deliverylastattemptedon:dt descriptionblobid:fl
      descriptionblobid_name:s exchangerate:d formattedscheduledend:dt formattedscheduledstart:dt
      instancetypecode:p isregularactivity:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser postponeactivityprocessinguntil:dt sendermailboxid:l>mailbox
      sendermailboxidname:s senton:dt seriesid:u slainvokedid:l>sla slainvokedidname:s slaname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'activityparty',
    display: 'Activity Party',
    otc: 135,
    ownership: 'none',
    primaryId: 'activitypartyid',
    primaryName: 'partyidname',
    source: 'dataverse',
    columns: cols(`
      activityid:l>activitypointer activitypartyid:pk addressused:s effort:f exchangeentryid:s
      participationtypemask:p partyid:l>account,contact,knowledgearticle,queue,systemuser
      partyidname:s partyobjecttypecode:e unresolvedpartyname:s addressusedemailcolumnnumber:i
      donotemail:b donotfax:b donotphone:b donotpostalmail:b instancetypecode:p ispartydeleted:b
      ownerid:o>systemuser,team owneridtype:e owningbusinessunit:u owninguser:u scheduledend:dt
      scheduledstart:dt versionnumber:bi`),
  },
  {
    name: 'email',
    display: 'Email',
    otc: 4202,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      acceptingentityid:l>queue,systemuser acceptingentitytypecode:e activityadditionalparams:m
      activityid:pk actualdurationminutes:i actualend:dt actualstart:dt attachmentopencount:i
      baseconversationindexhash:i
      bcc:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress category:s
      cc:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress
      conversationtrackingid:u correlatedactivityid:l>email correlatedsubjectchanged:b
      delayedemailsendtime:dt deliveryattempts:i deliveryprioritycode:p
      deliveryreceiptrequested:b description:m directioncode:b emailreminderexpirytime:dt
      emailremindertext:s emailremindertype:p emailtrackingid:u followemailuserpreference:b
      from:pl>queue,systemuser importsequencenumber:i internetmessageheaders:s isbilled:b
      isduplicatesenderunresolved:b isworkflowcreated:b lastonholdtime:dt lastopenedtime:dt
      linksclickedcount:i messageid:s messageiddupcheck:u mimetype:s notifications:p opencount:i
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e parentactivityid:l>email
      prioritycode:p processid:u readreceiptrequested:b receivingmailboxid:l>mailbox
      regardingobjectid:l>account,adx_invitation,asyncoperation,contact,knowledgearticle,
      knowledgebaserecord,mspp_adplacement,mspp_pollplacement,mspp_publishingstatetransitionrule,
      mspp_redirect,mspp_shortcut,mspp_website regardingobjecttypecode:e
      related:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress
      reminderactioncardid:u reservedforinternaluse:m scheduledend:dt scheduledstart:dt sender:s
      slaid:l>sla sortdate:dt stageid:u statecode:st statuscode:ss subcategory:s subject:s
      submittedby:s templateid:l>template timezoneruleversionnumber:i
      to:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress torecipients:s
      trackingtoken:s transactioncurrencyid:l>transactioncurrency traversedpath:s
      utcconversiontimezonecode:i activitytypecode:e attachmentcount:i compressed:b
      conversationindex:s correlationmethod:p createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser descriptionblobid:fl descriptionblobid_name:s
      emailreminderstatus:p emailsender:l>account,contact,queue,systemuser
      emailsenderobjecttypecode:e exchangerate:d inreplyto:s isemailfollowed:b
      isemailreminderset:b isregularactivity:b issafedescriptiontruncated:i isunsafe:i
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser onholdtime:i
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser postponeemailprocessinguntil:dt replycount:i safedescription:m
      scheduleddurationminutes:i sendermailboxid:l>mailbox sendersaccount:l>account
      sendersaccountobjecttypecode:e senton:dt slainvokedid:l>sla versionnumber:bi`),
  },
  {
    name: 'phonecall',
    display: 'Phone Call',
    otc: 4210,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt category:s description:m directioncode:b from:pl importsequencenumber:i
      isbilled:b isworkflowcreated:b lastonholdtime:dt leftvoicemail:b overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e phonenumber:s prioritycode:p processid:u
      regardingobjectid:l>account,contact,knowledgearticle,knowledgebaserecord
      regardingobjecttypecode:e scheduledend:dt scheduledstart:dt slaid:l>sla sortdate:dt
      stageid:u statecode:st statuscode:ss subcategory:s subject:s subscriptionid:u
      timezoneruleversionnumber:i to:pl transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i activitytypecode:e createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s exchangerate:d isregularactivity:b
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser regardingobjectidname:s
      regardingobjectidyominame:s scheduleddurationminutes:i slainvokedid:l>sla
      slainvokedidname:s slaname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'task',
    display: 'Task',
    otc: 4212,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt category:s crmtaskassigneduniqueid:u description:m importsequencenumber:i
      isbilled:b isworkflowcreated:b lastonholdtime:dt overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e percentcomplete:i prioritycode:p processid:u
      regardingobjectid:l>account,adx_invitation,contact,knowledgearticle,knowledgebaserecord,
      mspp_adplacement,mspp_pollplacement,mspp_publishingstatetransitionrule,mspp_redirect,
      mspp_shortcut,mspp_website regardingobjecttypecode:e scheduledend:dt scheduledstart:dt
      slaid:l>sla sortdate:dt stageid:u statecode:st statuscode:ss subcategory:s subject:s
      subscriptionid:u timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i activitytypecode:e createdby:l>systemuser
      createdon:dt createdonbehalfby:l>systemuser exchangerate:d isregularactivity:b
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser onholdtime:i
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser scheduleddurationminutes:i slainvokedid:l>sla versionnumber:bi`),
  },
  {
    name: 'appointment',
    display: 'Appointment',
    otc: 4201,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt attachmenterrors:p category:s description:m globalobjectid:s
      importsequencenumber:i isalldayevent:b isbilled:b isdraft:b ismapiprivate:b
      isworkflowcreated:b lastonholdtime:dt location:s
      optionalattendees:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress
      organizer:pl>systemuser outlookownerapptid:i overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e prioritycode:p processid:u
      regardingobjectid:l>account,contact,knowledgearticle,knowledgebaserecord
      regardingobjecttypecode:e
      requiredattendees:pl>account,contact,knowledgearticle,queue,systemuser,unresolvedaddress
      scheduleddurationminutes:i scheduledend:dt scheduledstart:dt slaid:l>sla sortdate:dt
      stageid:u statecode:st statuscode:ss subcategory:s subject:s subscriptionid:u
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency traversedpath:s
      utcconversiontimezonecode:i activitytypecode:e attachmentcount:i createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s exchangerate:d instancetypecode:p
      isregularactivity:b isunsafe:i modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedfieldsmask:m modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s onholdtime:i originalstartdate:dt
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser regardingobjectidname:s regardingobjectidyominame:s
      safedescription:m seriesid:u slainvokedid:l>sla slainvokedidname:s slaname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'recurringappointmentmaster',
    display: 'Recurring Appointment',
    otc: 4251,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityid:pk category:s dayofmonth:i daysofweekmask:i description:m duration:i
      effectiveenddate:dt effectivestartdate:dt endtime:dt firstdayofweek:i globalobjectid:s
      importsequencenumber:i instance:p interval:i isalldayevent:b isbilled:b ismapiprivate:b
      isnthmonthly:b isnthyearly:b isonlinemeeting:b isregenerate:b isweekdaypattern:b
      isworkflowcreated:b location:s monthofyear:p occurrences:i onlinemeetingchatid:s
      onlinemeetingid:s onlinemeetingjoinurl:s onlinemeetingtype:p
      optionalattendees:pl>account,contact,systemuser organizer:pl>systemuser
      outlookownerapptid:i overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      patternenddate:dt patternendtype:p patternstartdate:dt prioritycode:p processid:u
      recurrencepatterntype:p
      regardingobjectid:l>account,contact,knowledgearticle,knowledgebaserecord
      regardingobjecttypecode:e requiredattendees:pl>account,contact,systemuser seriesstatus:b
      sortdate:dt stageid:u starttime:dt statecode:st statuscode:ss subcategory:s subject:s
      subscriptionid:u timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i activitytypecode:e createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s deletedexceptionslist:m exchangerate:d
      expansionstatecode:p groupid:l>recurringappointmentmaster instancetypecode:p
      isregularactivity:b isunsafe:i lastexpandedinstancedate:dt modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s nextexpansioninstancedate:dt
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningbusinessunitname:s
      owningteam:l>team owninguser:l>systemuser regardingobjectidname:s
      regardingobjectidyominame:s ruleid:l>recurrencerule safedescription:m scheduledend:dt
      scheduledstart:dt transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'letter',
    display: 'Letter',
    otc: 4207,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityid:pk actualdurationminutes:i actualend:dt actualstart:dt address:s
      bcc:pl>account,contact,systemuser category:s cc:pl>account,contact,systemuser description:m
      directioncode:b from:pl>account,contact,systemuser importsequencenumber:i isbilled:b
      isworkflowcreated:b lastonholdtime:dt overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e prioritycode:p processid:u
      regardingobjectid:l>account,contact,knowledgearticle,knowledgebaserecord
      regardingobjecttypecode:e scheduledend:dt scheduledstart:dt slaid:l>sla sortdate:dt
      stageid:u statecode:st statuscode:ss subcategory:s subject:s subscriptionid:u
      timezoneruleversionnumber:i to:pl>account,contact,systemuser
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      activitytypecode:e createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      exchangerate:d isregularactivity:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser regardingobjectidname:s regardingobjectidyominame:s
      scheduleddurationminutes:i slainvokedid:l>sla slainvokedidname:s slaname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'fax',
    display: 'Fax',
    otc: 4204,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityid:pk actualdurationminutes:i actualend:dt actualstart:dt billingcode:s category:s
      coverpagename:s description:m directioncode:b faxnumber:s
      from:pl>account,contact,queue,systemuser importsequencenumber:i isbilled:b
      isworkflowcreated:b lastonholdtime:dt numberofpages:i overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e prioritycode:p processid:u
      regardingobjectid:l>account,contact,knowledgearticle,knowledgebaserecord
      regardingobjecttypecode:e scheduledend:dt scheduledstart:dt slaid:l>sla sortdate:dt
      stageid:u statecode:st statuscode:ss subcategory:s subject:s subscriptionid:u
      timezoneruleversionnumber:i to:pl>account,contact,queue,systemuser
      transactioncurrencyid:l>transactioncurrency traversedpath:s tsid:s
      utcconversiontimezonecode:i activitytypecode:e createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d isregularactivity:b modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s onholdtime:i owneridname:s
      owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser regardingobjectidname:s regardingobjectidyominame:s
      scheduleddurationminutes:i slainvokedid:l>sla slainvokedidname:s slaname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'socialactivity',
    display: 'Social Activity',
    otc: 4216,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dataverse',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt community:p description:m directioncode:b from:pl>account,contact,systemuser
      importsequencenumber:i inresponseto:s isbilled:b isworkflowcreated:b lastonholdtime:dt
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e postauthor:c>account,contact
      postauthoraccount:c>account,contact postauthoraccounttype:e postauthortype:e postedon:dt
      postfromprofileid:l>socialprofile postid:s postmessagetype:p posttoprofileid:s posturl:s
      prioritycode:p processid:u
      regardingobjectid:l>account,asyncoperation,contact,knowledgearticle,knowledgebaserecord
      regardingobjectidname:s regardingobjectidyominame:s regardingobjecttypecode:e
      resources:pl>systemuser scheduleddurationminutes:i scheduledend:dt scheduledstart:dt
      sentimentvalue:f slaid:l>sla socialadditionalparams:m sortdate:dt stageid:u statecode:st
      statuscode:ss subject:s threadid:s timezoneruleversionnumber:i
      to:pl>account,contact,systemuser transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i activitytypecode:e createdby:l>systemuser
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d isregularactivity:b modifiedby:l>systemuser
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser postauthoraccountname:s postauthoraccountyominame:s
      postauthorname:s postauthoryominame:s postedbyname:s slainvokedid:l>sla slainvokedidname:s
      slaname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'serviceappointment',
    display: 'Service Activity',
    otc: 4214,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dynamics365',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualdurationminutes:i actualend:dt
      actualstart:dt bcc:pl>account,contact,lead,systemuser category:s
      cc:pl>account,contact,lead,systemuser community:p customers:pl>account,contact
      deliveryprioritycode:p description:m exchangeitemid:s exchangeweblink:s
      from:pl>account,contact,lead,systemuser importsequencenumber:i isalldayevent:b isbilled:b
      ismapiprivate:b isworkflowcreated:b lastonholdtime:dt leftvoicemail:b location:s
      optionalattendees:pl>account,contact,lead,systemuser organizer:pl>systemuser
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e partners:pl>account,contact
      prioritycode:p processid:u
      regardingobjectid:l>account,campaign,contact,incident,invoice,lead,opportunity,quote,
      salesorder regardingobjecttypecode:e requiredattendees:pl>account,contact,lead,systemuser
      resources:pl>equipment,systemuser scheduleddurationminutes:i scheduledend:dt
      scheduledstart:dt serviceid:l>service siteid:l>site slaid:l>sla sortdate:dt stageid:u
      statecode:st statuscode:ss subcategory:s subject:s subscriptionid:u
      timezoneruleversionnumber:i to:pl>account,contact,lead,systemuser
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      activitytypecode:e createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      deliverylastattemptedon:dt exchangerate:d instancetypecode:p isregularactivity:b
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser postponeactivityprocessinguntil:dt
      regardingobjectidname:s regardingobjectidyominame:s sendermailboxid:l>mailbox
      sendermailboxidname:s senton:dt seriesid:u serviceidname:s siteidname:s slainvokedid:l>sla
      slainvokedidname:s slaname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'campaignactivity',
    display: 'Campaign Activity',
    otc: 4402,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dynamics365',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualcost:$ actualdurationminutes:i actualend:dt
      actualstart:dt bcc:pl budgetedcost:$ category:s cc:pl channeltypecode:p community:p
      customers:pl deliveryprioritycode:p description:m donotsendonoptout:b exchangeitemid:s
      exchangeweblink:s excludeifcontactedinxdays:i from:pl ignoreinactivelistmembers:b
      importsequencenumber:i isbilled:b ismapiprivate:b isworkflowcreated:b lastonholdtime:dt
      leftvoicemail:b optionalattendees:pl organizer:pl overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e partners:pl prioritycode:p processid:u
      regardingobjectid:l>campaign regardingobjecttypecode:e requiredattendees:pl resources:pl
      scheduledend:dt scheduledstart:dt serviceid:l>service slaid:l>sla sortdate:dt stageid:u
      statecode:st statuscode:ss subcategory:s subject:s timezoneruleversionnumber:i to:pl
      traversedpath:s typecode:p utcconversiontimezonecode:i activitytypecode:e actualcost_base:$
      budgetedcost_base:$ createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      deliverylastattemptedon:dt exchangerate:d instancetypecode:p isregularactivity:b
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser postponeactivityprocessinguntil:dt
      regardingobjectidname:s regardingobjectidyominame:s scheduleddurationminutes:i
      sendermailboxid:l>mailbox sendermailboxidname:s senton:dt seriesid:u slainvokedid:l>sla
      slainvokedidname:s slaname:s transactioncurrencyid:l>transactioncurrency
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'activitymimeattachment',
    display: 'Attachment',
    otc: 1001,
    ownership: 'none',
    primaryId: 'activitymimeattachmentid',
    primaryName: 'filename',
    source: 'dataverse',
    columns: cols(`
      activityid:l>activitypointer activitymimeattachmentid:pk activitymimeattachmentidunique:u
      attachmentcontentid:s attachmentid:l>attachment attachmentnumber:i body:s filename:s
      mimetype:s objectid:l>activitypointer,template objecttypecode:e subject:s activitysubject:s
      anonymouslink:s componentstate:p filesize:i isfollowed:b ismanaged:b overwritetime:dt
      ownerid:o>systemuser,team owneridname:s owneridtype:e owningbusinessunit:l>businessunit
      owninguser:l>systemuser solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'queue',
    display: 'Queue',
    otc: 2020,
    ownership: 'user',
    primaryId: 'queueid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      businessunitid:l>businessunit description:m emailaddress:s emailrouteraccessapproval:p
      entityimage:img ignoreunsolicitedemail:b importsequencenumber:i
      incomingemaildeliverymethod:p incomingemailfilteringmethod:p name:s
      outgoingemaildeliverymethod:p overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e primaryuserid:l>systemuser queueid:pk queueviewtype:p statecode:st
      statuscode:ss transactioncurrencyid:l>transactioncurrency allowemailcredentials:b
      businessunitidname:s createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s defaultmailbox:l>mailbox defaultmailboxname:s emailpassword:s
      emailusername:s entityimage_timestamp:bi entityimage_url:s entityimageid:u exchangerate:d
      isemailaddressapprovedbyo365admin:b isfaxqueue:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s numberofitems:i numberofmembers:i
      organizationid:l>organization organizationidname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser primaryuseridname:s primaryuseridyominame:s queuetypecode:p
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'queueitem',
    display: 'Queue Item',
    otc: 2029,
    ownership: 'none',
    primaryId: 'queueitemid',
    primaryName: 'title',
    source: 'dataverse',
    columns: cols(`
      importsequencenumber:i
      objectid:l>activitypointer,appointment,email,fax,knowledgearticle,letter,
      msdyn_knowledgearticletemplate,phonecall,recurringappointmentmaster,socialactivity,task
      objectidtypecode:e overriddencreatedon:dt priority:i queueid:l>queue queueitemid:pk
      sender:s state:i statecode:st status:i statuscode:ss timezoneruleversionnumber:i
      torecipients:s transactioncurrencyid:l>transactioncurrency utcconversiontimezonecode:i
      workerid:l>systemuser,team workeridtype:e createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s enteredon:dt exchangerate:d modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s objectidname:s objecttypecode:p
      organizationid:l>organization organizationidname:s ownerid:o>systemuser,team owneridtype:e
      owningbusinessunit:l>businessunit owninguser:l>systemuser queueidname:s title:s
      transactioncurrencyidname:s versionnumber:bi workeridmodifiedon:dt workeridname:s
      workeridyominame:s`),
  },
  {
    name: 'incident',
    display: 'Case',
    otc: 112,
    ownership: 'user',
    primaryId: 'incidentid',
    primaryName: 'title',
    source: 'dynamics365',
    columns: cols(`
      activitiescomplete:b actualserviceunits:i billedserviceunits:i blockedprofile:b
      caseorigincode:p casetypecode:p checkemail:b contractdetailid:l>contractdetail
      contractid:l>contract contractservicelevelcode:p customercontacted:b
      customerid:c>account,contact customeridtype:e customersatisfactioncode:p
      decremententitlementterm:b description:m emailaddress:s entitlementid:l>entitlement
      entityimage:img existingcase:l>incident firstresponsebykpiid:l>slakpiinstance
      firstresponsesent:b firstresponseslastatus:p followupby:dt followuptaskcreated:b
      importsequencenumber:i incidentid:pk incidentstagecode:p influencescore:f isdecrementing:b
      isescalated:b kbarticleid:l>kbarticle lastonholdtime:dt masterid:l>incident
      messagetypecode:p overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      parentcaseid:l>incident primarycontactid:l>contact prioritycode:p processid:u
      productid:l>product productserialnumber:s resolveby:dt resolvebykpiid:l>slakpiinstance
      resolvebyslastatus:p responseby:dt responsiblecontactid:l>contact routecase:b
      sentimentvalue:f servicestage:p severitycode:p slaid:l>sla socialprofileid:l>socialprofile
      stageid:u statecode:st statuscode:ss subjectid:l>subject ticketnumber:s
      timezoneruleversionnumber:i title:s transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i accountid:l>account accountidname:s
      accountidyominame:s contactid:l>contact contactidname:s contactidyominame:s
      contractdetailidname:s contractidname:s createdby:l>systemuser
      createdbyexternalparty:l>externalparty createdbyexternalpartyname:s
      createdbyexternalpartyyominame:s createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s entitlementidname:s entityimage_timestamp:bi
      entityimage_url:s entityimageid:u escalatedon:dt exchangerate:d firstresponsebykpiidname:s
      kbarticleidname:s masteridname:s merged:b modifiedby:l>systemuser
      modifiedbyexternalparty:l>externalparty modifiedbyexternalpartyname:s
      modifiedbyexternalpartyyominame:s modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      numberofchildincidents:i onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      parentcaseidname:s primarycontactidname:s primarycontactidyominame:s productidname:s
      resolvebykpiidname:s responsiblecontactidname:s responsiblecontactidyominame:s
      slainvokedid:l>sla slainvokedidname:s slaname:s socialprofileidname:s subjectidname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'knowledgearticle',
    display: 'Knowledge Article',
    otc: 9953,
    ownership: 'user',
    primaryId: 'knowledgearticleid',
    primaryName: 'title',
    source: 'dataverse',
    columns: cols(`
      articlepublicnumber:s content:m description:s expirationdate:dt expirationstateid:i
      expirationstatusid:i expiredreviewoptions:p importsequencenumber:i isinternal:b
      islatestversion:b isprimary:b isrootarticle:b keywords:m knowledgearticleid:pk
      languagelocaleid:l>languagelocale majorversionnumber:i minorversionnumber:i
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      parentarticlecontentid:l>knowledgearticle previousarticlecontentid:l>knowledgearticle
      primaryauthorid:l>systemuser processid:u publishon:dt publishstatusid:i readyforreview:b
      review:p rootarticleid:l>knowledgearticle scheduledstatusid:i setcategoryassociations:b
      stageid:u statecode:st statuscode:ss subjectid:l>subject timezoneruleversionnumber:i
      title:s transactioncurrencyid:l>transactioncurrency traversedpath:s updatecontent:b
      utcconversiontimezonecode:i createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d knowledgearticleviews:i
      knowledgearticleviews_date:dt knowledgearticleviews_state:i languagelocaleidlocaleid:i
      languagelocaleidname:s modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser parentarticlecontentidname:s previousarticlecontentidname:s
      primaryauthoridname:s rating:d rating_count:i rating_date:dt rating_state:i rating_sum:d
      rootarticleidname:s subjectiddsc:i subjectidname:s transactioncurrencyidname:s
      versionnumber:bi`),
  },
  {
    name: 'kbarticle',
    display: 'Article',
    otc: 127,
    ownership: 'org',
    primaryId: 'kbarticleid',
    primaryName: 'title',
    source: 'dynamics365',
    columns: cols(`
      articlexml:m comments:m description:m entityimage:img importsequencenumber:i kbarticleid:pk
      kbarticletemplateid:l>kbarticletemplate keywords:m languagecode:i overriddencreatedon:dt
      statecode:st statuscode:ss subjectid:l>subject title:s
      transactioncurrencyid:l>transactioncurrency content:m createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s entityimage_timestamp:bi
      entityimage_url:s entityimageid:u exchangerate:d kbarticletemplateidtitle:s
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      number:s organizationid:l>organization organizationidname:s subjectidname:s
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'subject',
    display: 'Subject',
    otc: 129,
    ownership: 'org',
    primaryId: 'subjectid',
    primaryName: 'title',
    source: 'dataverse',
    columns: cols(`
      description:m featuremask:i importsequencenumber:i overriddencreatedon:dt
      parentsubject:l>subject subjectid:pk title:s createdby:l>systemuser
      createdbyexternalparty:l>externalparty createdbyexternalpartyname:s
      createdbyexternalpartyyominame:s createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      modifiedby:l>systemuser modifiedbyexternalparty:l>externalparty
      modifiedbyexternalpartyname:s modifiedbyexternalpartyyominame:s modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      parentsubjectname:s versionnumber:bi`),
  },
  {
    name: 'product',
    display: 'Product',
    otc: 1024,
    ownership: 'org',
    primaryId: 'productid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      currentcost:$ defaultuomid:l>uom defaultuomscheduleid:l>uomschedule description:m
      dmtimportstate:i entityimage:img importsequencenumber:i iskit:b isstockitem:b name:s
      overriddencreatedon:dt parentproductid:l>product price:$ pricelevelid:l>pricelevel
      processid:u productid:pk productnumber:s productstructure:p producttypecode:p producturl:s
      quantitydecimal:i quantityonhand:d size:s stageid:u standardcost:$ statecode:st
      statuscode:ss stockvolume:d stockweight:d subjectid:l>subject suppliername:s
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency traversedpath:s
      utcconversiontimezonecode:i validfromdate:dt validtodate:dt vendorid:s vendorname:s
      vendorpartnumber:s createdby:l>systemuser createdbyexternalparty:l>externalparty
      createdbyexternalpartyname:s createdbyexternalpartyyominame:s createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s currentcost_base:$ defaultuomidname:s
      defaultuomscheduleidname:s entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d hierarchypath:s modifiedby:l>systemuser
      modifiedbyexternalparty:l>externalparty modifiedbyexternalpartyname:s
      modifiedbyexternalpartyyominame:s modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:l>organization organizationidname:s parentproductidname:s price_base:$
      pricelevelidname:s standardcost_base:$ subjectidname:s transactioncurrencyidname:s
      versionnumber:bi`),
  },
  {
    name: 'pricelevel',
    display: 'Price List',
    otc: 1022,
    ownership: 'org',
    primaryId: 'pricelevelid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      begindate:dt description:m enddate:dt freighttermscode:p importsequencenumber:i name:s
      overriddencreatedon:dt paymentmethodcode:p pricelevelid:pk shippingmethodcode:p
      statecode:st statuscode:ss timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency utcconversiontimezonecode:i
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      exchangerate:d modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:l>organization organizationidname:s transactioncurrencyidname:s
      versionnumber:bi`),
  },
  {
    name: 'productpricelevel',
    display: 'Price List Item',
    otc: 1026,
    ownership: 'none',
    primaryId: 'productpricelevelid',
    primaryName: 'productidname',
    source: 'dynamics365',
    columns: cols(`
      amount:$ discounttypeid:l>discounttype importsequencenumber:i overriddencreatedon:dt
      percentage:d pricelevelid:l>pricelevel pricingmethodcode:p processid:u productid:l>product
      productpricelevelid:pk quantitysellingcode:p roundingoptionamount:$ roundingoptioncode:p
      roundingpolicycode:p stageid:u timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency traversedpath:s uomid:l>uom
      uomscheduleid:l>uomschedule utcconversiontimezonecode:i amount_base:$
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      discounttypeidname:s exchangerate:d modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:u pricelevelidname:s productidname:s
      productnumber:s roundingoptionamount_base:$ transactioncurrencyidname:s uomidname:s
      uomscheduleidname:s versionnumber:bi`),
  },
  {
    name: 'uom',
    display: 'Unit',
    otc: 1055,
    ownership: 'none',
    primaryId: 'uomid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      baseuom:l>uom importsequencenumber:i name:s overriddencreatedon:dt quantity:d
      timezoneruleversionnumber:i uomid:pk uomscheduleid:l>uomschedule
      utcconversiontimezonecode:i baseuomname:s createdby:l>systemuser
      createdbyexternalparty:l>externalparty createdbyexternalpartyname:s
      createdbyexternalpartyyominame:s createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      isschedulebaseuom:b modifiedby:l>systemuser modifiedbyexternalparty:l>externalparty
      modifiedbyexternalpartyname:s modifiedbyexternalpartyyominame:s modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:u uomscheduleidname:s versionnumber:bi`),
  },
  {
    name: 'uomschedule',
    display: 'Unit Group',
    otc: 1056,
    ownership: 'org',
    primaryId: 'uomscheduleid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      baseuomname:s description:m importsequencenumber:i name:s overriddencreatedon:dt
      statecode:st statuscode:ss timezoneruleversionnumber:i uomscheduleid:pk
      utcconversiontimezonecode:i createdby:l>systemuser createdbyexternalparty:l>externalparty
      createdbyexternalpartyname:s createdbyexternalpartyyominame:s createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s modifiedby:l>systemuser modifiedbyexternalparty:l>externalparty
      modifiedbyexternalpartyname:s modifiedbyexternalpartyyominame:s modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      versionnumber:bi`),
  },
  {
    name: 'quote',
    display: 'Quote',
    otc: 1084,
    ownership: 'user',
    primaryId: 'quoteid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      billto_addressid:u billto_city:s billto_contactname:s billto_country:s billto_fax:s
      billto_line1:s billto_line2:s billto_line3:s billto_name:s billto_postalcode:s
      billto_stateorprovince:s billto_telephone:s campaignid:l>campaign closedon:dt
      customerid:c>account,contact customeridtype:e description:m discountamount:$
      discountpercentage:d effectivefrom:dt effectiveto:dt emailaddress:s expireson:dt
      freightamount:$ freighttermscode:p importsequencenumber:i lastonholdtime:dt name:s
      opportunityid:l>opportunity overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      paymenttermscode:p pricelevelid:l>pricelevel pricingerrorcode:p processid:u quoteid:pk
      quotenumber:s requestdeliveryby:dt shippingmethodcode:p shipto_addressid:u shipto_city:s
      shipto_contactname:s shipto_country:s shipto_fax:s shipto_freighttermscode:p shipto_line1:s
      shipto_line2:s shipto_line3:s shipto_name:s shipto_postalcode:s shipto_stateorprovince:s
      shipto_telephone:s slaid:l>sla stageid:u statecode:st statuscode:ss
      timezoneruleversionnumber:i totalamount:$ totalamountlessfreight:$ totaldiscountamount:$
      totallineitemamount:$ totallineitemdiscountamount:$ totaltax:$
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      willcall:b accountid:l>account accountidname:s accountidyominame:s billto_composite:m
      campaignidname:s contactid:l>contact contactidname:s contactidyominame:s
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s discountamount_base:$ exchangerate:d
      freightamount_base:$ modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i opportunityidname:s owneridname:s
      owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser pricelevelidname:s revisionnumber:i shipto_composite:m
      slainvokedid:l>sla slainvokedidname:s slaname:s totalamount_base:$
      totalamountlessfreight_base:$ totaldiscountamount_base:$ totallineitemamount_base:$
      totallineitemdiscountamount_base:$ totaltax_base:$ transactioncurrencyidname:s
      uniquedscid:u versionnumber:bi`),
  },
  {
    name: 'quotedetail',
    display: 'Quote Product',
    otc: 1085,
    ownership: 'user',
    primaryId: 'quotedetailid',
    primaryName: 'productidname',
    source: 'dynamics365',
    columns: cols(`
      baseamount:$ description:m extendedamount:$ importsequencenumber:i ispriceoverridden:b
      isproductoverridden:b lineitemnumber:i manualdiscountamount:$ overriddencreatedon:dt
      parentbundleid:u priceperunit:$ pricingerrorcode:p productassociationid:u
      productdescription:s productid:l>product productname:s producttypecode:p
      propertyconfigurationstatus:p quantity:d quotedetailid:pk quoteid:l>quote
      requestdeliveryby:dt salesrepid:l>systemuser sequencenumber:i shipto_addressid:u
      shipto_city:s shipto_contactname:s shipto_country:s shipto_fax:s shipto_freighttermscode:p
      shipto_line1:s shipto_line2:s shipto_line3:s shipto_name:s shipto_postalcode:s
      shipto_stateorprovince:s shipto_telephone:s tax:$ timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency uomid:l>uom utcconversiontimezonecode:i
      willcall:b baseamount_base:$ createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d extendedamount_base:$
      manualdiscountamount_base:$ modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s ownerid:o>systemuser,team owneridname:s owneridtype:e
      owneridyominame:s owningbusinessunit:l owningteam:l>team owninguser:l priceperunit_base:$
      productidname:s quoteidname:s quotestatecode:p salesrepidname:s salesrepidyominame:s
      tax_base:$ transactioncurrencyidname:s uomidname:s versionnumber:bi volumediscountamount:$
      volumediscountamount_base:$`),
  },
  {
    name: 'salesorder',
    display: 'Order',
    otc: 1088,
    ownership: 'user',
    primaryId: 'salesorderid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      billto_addressid:u billto_city:s billto_contactname:s billto_country:s billto_fax:s
      billto_line1:s billto_line2:s billto_line3:s billto_name:s billto_postalcode:s
      billto_stateorprovince:s billto_telephone:s campaignid:l>campaign
      customerid:c>account,contact customeridtype:e datefulfilled:dt description:m
      discountamount:$ discountpercentage:d emailaddress:s entityimage:img freightamount:$
      freighttermscode:p importsequencenumber:i ispricelocked:b lastbackofficesubmit:dt
      lastonholdtime:dt name:s opportunityid:l>opportunity ordernumber:s overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e paymenttermscode:p pricelevelid:l>pricelevel
      pricingerrorcode:p prioritycode:p processid:u quoteid:l>quote requestdeliveryby:dt
      salesorderid:pk shippingmethodcode:p shipto_addressid:u shipto_city:s shipto_contactname:s
      shipto_country:s shipto_fax:s shipto_freighttermscode:p shipto_line1:s shipto_line2:s
      shipto_line3:s shipto_name:s shipto_postalcode:s shipto_stateorprovince:s
      shipto_telephone:s slaid:l>sla stageid:u statecode:st statuscode:ss submitdate:dt
      submitstatus:i submitstatusdescription:m timezoneruleversionnumber:i totalamount:$
      totalamountlessfreight:$ totaldiscountamount:$ totallineitemamount:$
      totallineitemdiscountamount:$ totaltax:$ transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i willcall:b accountid:l>account accountidname:s
      accountidyominame:s billto_composite:m campaignidname:s contactid:l>contact contactidname:s
      contactidyominame:s createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s discountamount_base:$ entityimage_timestamp:bi
      entityimage_url:s entityimageid:u exchangerate:d freightamount_base:$
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i opportunityidname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      pricelevelidname:s quoteidname:s shipto_composite:m slainvokedid:l>sla slainvokedidname:s
      slaname:s totalamount_base:$ totalamountlessfreight_base:$ totaldiscountamount_base:$
      totallineitemamount_base:$ totallineitemdiscountamount_base:$ totaltax_base:$
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'salesorderdetail',
    display: 'Order Product',
    otc: 1089,
    ownership: 'user',
    primaryId: 'salesorderdetailid',
    primaryName: 'productidname',
    source: 'dynamics365',
    columns: cols(`
      baseamount:$ description:m extendedamount:$ importsequencenumber:i iscopied:b
      ispriceoverridden:b isproductoverridden:b lineitemnumber:i manualdiscountamount:$
      overriddencreatedon:dt parentbundleid:u priceperunit:$ pricingerrorcode:p
      productassociationid:u productdescription:s productid:l>product productname:s
      producttypecode:p propertyconfigurationstatus:p quantity:d quantitybackordered:d
      quantitycancelled:d quantityshipped:d requestdeliveryby:dt salesorderdetailid:pk
      salesorderid:l>salesorder salesrepid:l>systemuser sequencenumber:i shipto_addressid:u
      shipto_city:s shipto_contactname:s shipto_country:s shipto_fax:s shipto_freighttermscode:p
      shipto_line1:s shipto_line2:s shipto_line3:s shipto_name:s shipto_postalcode:s
      shipto_stateorprovince:s shipto_telephone:s tax:$ timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency uomid:l>uom utcconversiontimezonecode:i
      willcall:b baseamount_base:$ createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d extendedamount_base:$
      manualdiscountamount_base:$ modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s ownerid:o>systemuser,team owneridname:s owneridtype:e
      owneridyominame:s owningbusinessunit:l owningteam:l>team owninguser:l priceperunit_base:$
      productidname:s salesorderidname:s salesorderispricelocked:b salesorderstatecode:p
      salesrepidname:s salesrepidyominame:s tax_base:$ transactioncurrencyidname:s uomidname:s
      versionnumber:bi volumediscountamount:$ volumediscountamount_base:$`),
  },
  {
    name: 'invoice',
    display: 'Invoice',
    otc: 1090,
    ownership: 'user',
    primaryId: 'invoiceid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      billto_city:s billto_country:s billto_fax:s billto_line1:s billto_line2:s billto_line3:s
      billto_name:s billto_postalcode:s billto_stateorprovince:s billto_telephone:s
      customerid:c>account,contact customeridtype:e datedelivered:dt description:m
      discountamount:$ discountpercentage:d duedate:dt emailaddress:s entityimage:img
      freightamount:$ importsequencenumber:i invoiceid:pk invoicenumber:s ispricelocked:b
      lastbackofficesubmit:dt lastonholdtime:dt name:s opportunityid:l>opportunity
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e paymenttermscode:p
      pricelevelid:l>pricelevel pricingerrorcode:p prioritycode:p processid:u
      salesorderid:l>salesorder shippingmethodcode:p shipto_city:s shipto_country:s shipto_fax:s
      shipto_freighttermscode:p shipto_line1:s shipto_line2:s shipto_line3:s shipto_name:s
      shipto_postalcode:s shipto_stateorprovince:s shipto_telephone:s slaid:l>sla stageid:u
      statecode:st statuscode:ss timezoneruleversionnumber:i totalamount:$
      totalamountlessfreight:$ totaldiscountamount:$ totallineitemamount:$
      totallineitemdiscountamount:$ totaltax:$ transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i willcall:b accountid:l>account accountidname:s
      accountidyominame:s billto_composite:m contactid:l>contact contactidname:s
      contactidyominame:s createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s discountamount_base:$ entityimage_timestamp:bi
      entityimage_url:s entityimageid:u exchangerate:d freightamount_base:$
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i opportunityidname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      pricelevelidname:s salesorderidname:s shipto_composite:m slainvokedid:l>sla
      slainvokedidname:s slaname:s totalamount_base:$ totalamountlessfreight_base:$
      totaldiscountamount_base:$ totallineitemamount_base:$ totallineitemdiscountamount_base:$
      totaltax_base:$ transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'invoicedetail',
    display: 'Invoice Product',
    otc: 1091,
    ownership: 'user',
    primaryId: 'invoicedetailid',
    primaryName: 'productidname',
    source: 'dynamics365',
    columns: cols(`
      actualdeliveryon:dt baseamount:$ description:m extendedamount:$ importsequencenumber:i
      invoicedetailid:pk invoiceid:l>invoice iscopied:b ispriceoverridden:b isproductoverridden:b
      lineitemnumber:i manualdiscountamount:$ overriddencreatedon:dt parentbundleid:u
      priceperunit:$ pricingerrorcode:p productassociationid:u productdescription:s
      productid:l>product productname:s producttypecode:p propertyconfigurationstatus:p
      quantity:d quantitybackordered:d quantitycancelled:d quantityshipped:d
      salesrepid:l>systemuser sequencenumber:i shippingtrackingnumber:s shipto_city:s
      shipto_country:s shipto_fax:s shipto_freighttermscode:p shipto_line1:s shipto_line2:s
      shipto_line3:s shipto_name:s shipto_postalcode:s shipto_stateorprovince:s
      shipto_telephone:s tax:$ timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency uomid:l>uom utcconversiontimezonecode:i
      willcall:b baseamount_base:$ createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d extendedamount_base:$ invoiceidname:s
      invoiceispricelocked:b invoicestatecode:p manualdiscountamount_base:$
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      ownerid:o>systemuser,team owneridname:s owneridtype:e owneridyominame:s
      owningbusinessunit:l owningteam:l>team owninguser:l priceperunit_base:$ productidname:s
      salesrepidname:s salesrepidyominame:s tax_base:$ transactioncurrencyidname:s uomidname:s
      versionnumber:bi volumediscountamount:$ volumediscountamount_base:$`),
  },
  {
    name: 'competitor',
    display: 'Competitor',
    otc: 123,
    ownership: 'org',
    primaryId: 'competitorid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      address1_addressid:u address1_addresstypecode:p address1_city:s address1_country:s
      address1_county:s address1_fax:s address1_latitude:f address1_line1:s address1_line2:s
      address1_line3:s address1_longitude:f address1_name:s address1_postalcode:s
      address1_postofficebox:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_latitude:f address2_line1:s
      address2_line2:s address2_line3:s address2_longitude:f address2_name:s
      address2_postalcode:s address2_postofficebox:s address2_shippingmethodcode:p
      address2_stateorprovince:s address2_telephone1:s address2_telephone2:s
      address2_telephone3:s address2_upszone:s address2_utcoffset:i competitorid:pk
      entityimage:img importsequencenumber:i keyproduct:s name:s opportunities:m
      overriddencreatedon:dt overview:m processid:u referenceinfourl:s reportedrevenue:$
      reportingquarter:i reportingyear:i stageid:u stockexchange:s strengths:m threats:m
      tickersymbol:s timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i weaknesses:m websiteurl:s winpercentage:f
      yominame:s address1_composite:m address2_composite:m createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:l>organization organizationidname:s reportedrevenue_base:$
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'campaign',
    display: 'Campaign',
    otc: 4400,
    ownership: 'user',
    primaryId: 'campaignid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      actualend:dt actualstart:dt budgetedcost:$ campaignid:pk codename:s description:m
      emailaddress:s entityimage:img expectedresponse:i expectedrevenue:$ importsequencenumber:i
      istemplate:b message:s name:s objective:m othercost:$ overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e pricelistid:l>pricelevel processid:u
      promotioncodename:s proposedend:dt proposedstart:dt stageid:u statecode:st statuscode:ss
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency traversedpath:s
      typecode:p utcconversiontimezonecode:i budgetedcost_base:$ createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s entityimage_timestamp:bi
      entityimage_url:s entityimageid:u exchangerate:d expectedrevenue_base:$
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      othercost_base:$ owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser pricelistname:s totalactualcost:$
      totalactualcost_base:$ totalcampaignactivityactualcost:$
      totalcampaignactivityactualcost_base:$ transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'list',
    display: 'Marketing List',
    otc: 4300,
    ownership: 'user',
    primaryId: 'listid',
    primaryName: 'listname',
    source: 'dynamics365',
    columns: cols(`
      cost:$ createdfromcode:p description:m donotsendonoptout:b ignoreinactivelistmembers:b
      importsequencenumber:i lastusedon:dt listid:pk listname:s lockstatus:b membercount:i
      membertype:i overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e processid:u
      purpose:s query:s source:s stageid:u statecode:st statuscode:ss timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency traversedpath:s type:b
      utcconversiontimezonecode:i cost_base:$ createdby:l>systemuser createdbyname:s
      createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'listmember',
    display: 'Marketing List Member',
    otc: 4301,
    ownership: 'none',
    primaryId: 'listmemberid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      entityid:l>account,contact,lead entityidtypecode:e entitytype:e importsequencenumber:i
      listid:l>list listmemberid:pk name:s overriddencreatedon:dt timezoneruleversionnumber:i
      utcconversiontimezonecode:i createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s ownerid:o>systemuser,team owneridtype:e owningbusinessunit:u
      owninguser:u versionnumber:bi`),
  },
  {
    name: 'bulkoperation',
    display: 'Quick Campaign',
    otc: 4406,
    ownership: 'user',
    primaryId: 'activityid',
    primaryName: 'subject',
    activity: true,
    source: 'dynamics365',
    columns: cols(`
      activityadditionalparams:m activityid:pk actualend:dt bcc:pl>account,contact,systemuser
      cc:pl>account,contact,systemuser community:p createdrecordtypecode:p
      customers:pl>account,contact deliveryprioritycode:p errornumber:i exchangeitemid:s
      exchangeweblink:s failurecount:i from:pl>account,contact,systemuser importsequencenumber:i
      ismapiprivate:b lastonholdtime:dt leftvoicemail:b operationtypecode:p
      optionalattendees:pl>account,contact,systemuser organizer:pl>systemuser
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e parameters:m
      partners:pl>account,contact prioritycode:p processid:u
      regardingobjectid:l>campaignactivity,list regardingobjecttypecode:e
      requiredattendees:pl>account,contact,systemuser resources:pl>systemuser serviceid:l
      slaid:l>sla sortdate:dt stageid:u statuscode:ss subject:s successcount:i
      targetedrecordtypecode:p targetmemberscount:i timezoneruleversionnumber:i
      to:pl>account,contact,systemuser transactioncurrencyid:l>transactioncurrency
      traversedpath:s utcconversiontimezonecode:i workflowinfo:s activitytypecode:e
      actualdurationminutes:i actualstart:dt bulkoperationnumber:s createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s deliverylastattemptedon:dt
      description:m exchangerate:d instancetypecode:p isbilled:b isregularactivity:b
      isworkflowcreated:b modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s onholdtime:i owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      postponeactivityprocessinguntil:dt regardingobjectidname:s regardingobjectidyominame:s
      scheduleddurationminutes:i scheduledend:dt scheduledstart:dt sendermailboxid:l>mailbox
      sendermailboxidname:s senton:dt seriesid:u slainvokedid:l>sla slainvokedidname:s slaname:s
      statecode:st transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'salesliterature',
    display: 'Sales Literature',
    otc: 1038,
    ownership: 'org',
    primaryId: 'salesliteratureid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      description:m employeecontactid:l>systemuser entityimage:img expirationdate:dt
      hasattachments:b importsequencenumber:i iscustomerviewable:b keywords:m
      literaturetypecode:p name:s overriddencreatedon:dt processid:u salesliteratureid:pk
      stageid:u subjectid:l>subject timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      employeecontactidname:s employeecontactidyominame:s entityimage_timestamp:bi
      entityimage_url:s entityimageid:u exchangerate:d modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      subjectidname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'contract',
    display: 'Contract',
    otc: 1010,
    ownership: 'user',
    primaryId: 'contractid',
    primaryName: 'title',
    source: 'dynamics365',
    columns: cols(`
      activeon:dt allotmenttypecode:p billingcustomerid:c>account,contact billingcustomeridtype:e
      billingendon:dt billingfrequencycode:p billingstarton:dt billtoaddress:l>customeraddress
      contractid:pk contractlanguage:m contractnumber:s contractservicelevelcode:p
      contracttemplateid:l>contracttemplate customerid:c>account,contact customeridtype:e
      effectivitycalendar:s emailaddress:s entityimage:img expireson:dt importsequencenumber:i
      originatingcontract:l>contract overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e serviceaddress:l>customeraddress statecode:st statuscode:ss
      timezoneruleversionnumber:i title:s transactioncurrencyid:l>transactioncurrency
      usediscountaspercentage:b utcconversiontimezonecode:i accountid:l>account accountidname:s
      accountidyominame:s billingaccountid:l>account billingaccountidname:s
      billingaccountidyominame:s billingcontactid:l>contact billingcontactidname:s
      billingcontactidyominame:s billingcustomeridname:s billingcustomeridyominame:s
      billtoaddressname:s cancelon:dt contactid:l>contact contactidname:s contactidyominame:s
      contracttemplateabbreviation:s contracttemplateidname:s createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s customeridname:s customeridyominame:s
      duration:i entityimage_timestamp:bi entityimage_url:s entityimageid:u exchangerate:d
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      netprice:$ netprice_base:$ originatingcontractname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      serviceaddressname:s totaldiscount:$ totaldiscount_base:$ totalprice:$ totalprice_base:$
      transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'contractdetail',
    display: 'Contract Line',
    otc: 1011,
    ownership: 'user',
    primaryId: 'contractdetailid',
    primaryName: 'title',
    source: 'dynamics365',
    columns: cols(`
      activeon:dt contractdetailid:pk contractid:l>contract customerid:c>account,contact
      customeridtype:e discount:$ discountpercentage:d effectivitycalendar:s expireson:dt
      importsequencenumber:i initialquantity:i lineitemorder:i overriddencreatedon:dt price:$
      productid:l>product productserialnumber:s serviceaddress:l>customeraddress
      servicecontractunitscode:p statecode:st statuscode:ss timezoneruleversionnumber:i title:s
      totalallotments:i uomid:l>uom uomscheduleid:l>uomschedule utcconversiontimezonecode:i
      accountid:l>account allotmentsoverage:i allotmentsremaining:i allotmentsused:i
      contactid:l>contact contractidname:s contractstatecode:p createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s customeridname:s customeridyominame:s
      discount_base:$ exchangerate:d modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s net:$ net_base:$ ownerid:o>systemuser,team owneridname:s
      owneridtype:e owneridyominame:s owningbusinessunit:l owningteam:l>team owninguser:l
      price_base:$ productidname:s rate:$ rate_base:$ serviceaddressname:s
      transactioncurrencyid:l>transactioncurrency transactioncurrencyidname:s uomidname:s
      uomscheduleidname:s versionnumber:bi`),
  },
  {
    name: 'territory',
    display: 'Territory',
    otc: 2013,
    ownership: 'org',
    primaryId: 'territoryid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      description:m entityimage:img importsequencenumber:i managerid:l>systemuser name:s
      overriddencreatedon:dt parentterritoryid:l>territory territoryid:pk
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency
      utcconversiontimezonecode:i createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d manageridname:s manageridyominame:s modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      parentterritoryidname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'goal',
    display: 'Goal',
    otc: 9600,
    ownership: 'user',
    primaryId: 'goalid',
    primaryName: 'title',
    source: 'dataverse',
    columns: cols(`
      actualdecimal:d actualinteger:i actualmoney:$ amountdatatype:p
      consideronlygoalownersrecords:b customrollupfielddecimal:d customrollupfieldinteger:i
      customrollupfieldmoney:$ entityimage:img fiscalperiod:p fiscalyear:p goalenddate:dt
      goalid:pk goalownerid:l>systemuser,team goalowneridtype:e goalstartdate:dt
      goalwitherrorid:l>goal importsequencenumber:i inprogressdecimal:d inprogressinteger:i
      inprogressmoney:$ isamount:b isfiscalperiodgoal:b isoverridden:b isoverride:b
      lastrolledupdate:dt metricid:l>metric overriddencreatedon:dt ownerid:o>systemuser
      owneridtype:e parentgoalid:l>goal percentage:d rolluperrorcode:i rolluponlyfromchildgoals:b
      rollupqueryactualdecimalid:l>goalrollupquery rollupqueryactualintegerid:l>goalrollupquery
      rollupqueryactualmoneyid:l>goalrollupquery rollupquerycustomdecimalid:l>goalrollupquery
      rollupquerycustomintegerid:l>goalrollupquery rollupquerycustommoneyid:l>goalrollupquery
      rollupqueryinprogressdecimalid:l>goalrollupquery
      rollupqueryinprogressintegerid:l>goalrollupquery
      rollupqueryinprogressmoneyid:l>goalrollupquery statecode:st statuscode:ss
      stretchtargetdecimal:d stretchtargetinteger:i stretchtargetmoney:$ targetdecimal:d
      targetinteger:i targetmoney:$ timezoneruleversionnumber:i title:s
      utcconversiontimezonecode:i actualmoney_base:$ actualstring:s
      computedtargetasoftodaydecimal:d computedtargetasoftodayinteger:i
      computedtargetasoftodaymoney:$ computedtargetasoftodaymoney_base:$
      computedtargetasoftodaypercentageachieved:d createdby:l>systemuser createdbyname:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s customrollupfieldmoney_base:$ customrollupfieldstring:s depth:i
      entityimage_timestamp:bi entityimage_url:s entityimageid:u exchangerate:d goalowneridname:s
      goalowneridyominame:s goalwitherroridname:s inprogressmoney_base:$ inprogressstring:s
      metricidname:s modifiedby:l>systemuser modifiedbyname:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser parentgoalidname:s rollupqueryactualdecimalidname:s
      rollupqueryactualintegeridname:s rollupqueryactualmoneyidname:s
      rollupquerycustomdecimalidname:s rollupquerycustomintegeridname:s
      rollupquerycustommoneyidname:s rollupqueryinprogressdecimalidname:s
      rollupqueryinprogressintegeridname:s rollupqueryinprogressmoneyidname:s
      stretchtargetmoney_base:$ stretchtargetstring:s targetmoney_base:$ targetstring:s
      transactioncurrencyid:l>transactioncurrency transactioncurrencyidname:s treeid:u
      versionnumber:bi`),
  },
  {
    name: 'goalrollupquery',
    display: 'Rollup Query',
    otc: 9602,
    ownership: 'user',
    primaryId: 'goalrollupqueryid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      fetchxml:s goalrollupqueryid:pk importsequencenumber:i name:s overriddencreatedon:dt
      ownerid:o>systemuser,team owneridtype:e queryentitytype:e statecode:st statuscode:ss
      timezoneruleversionnumber:i utcconversiontimezonecode:i createdby:l>systemuser
      createdbyname:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s modifiedby:l>systemuser modifiedbyname:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      owneridname:s owneridyominame:s owningbusinessunit:l>businessunit owningbusinessunitname:s
      owningteam:l>team owninguser:l versionnumber:bi`),
  },
  {
    name: 'metric',
    display: 'Goal Metric',
    otc: 9603,
    ownership: 'org',
    primaryId: 'metricid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      amountdatatype:p description:m importsequencenumber:i isamount:b isstretchtracked:b
      metricid:pk name:s overriddencreatedon:dt statecode:st statuscode:ss
      timezoneruleversionnumber:i utcconversiontimezonecode:i createdby:l>systemuser
      createdbyname:s createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s modifiedby:l>systemuser modifiedbyname:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:l>organization organizationidname:s versionnumber:bi`),
  },
  {
    name: 'connection',
    display: 'Connection',
    otc: 3234,
    ownership: 'user',
    primaryId: 'connectionid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      connectionid:pk description:m effectiveend:dt effectivestart:dt entityimage:img
      importsequencenumber:i overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e
      record1id:l>account,contact,systemuser,team record1idobjecttypecode:e
      record1roleid:l>connectionrole record2id:l>account,contact,systemuser,team
      record2idobjecttypecode:e record2roleid:l>connectionrole statecode:st statuscode:ss
      transactioncurrencyid:l>transactioncurrency createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser entityimage_timestamp:bi entityimage_url:s entityimageid:u
      exchangerate:d ismaster:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser name:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      record1objecttypecode:p record2objecttypecode:p relatedconnectionid:l>connection
      versionnumber:bi`),
  },
  {
    name: 'connectionrole',
    display: 'Connection Role',
    otc: 3231,
    ownership: 'org',
    primaryId: 'connectionroleid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      category:p connectionroleid:pk description:s importsequencenumber:i introducedversion:s
      iscustomizable:mg name:s statecode:st statuscode:ss componentstate:p
      connectionroleidunique:u createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s ismanaged:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      overwritetime:dt solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'role',
    display: 'Security Role',
    otc: 1036,
    ownership: 'business',
    primaryId: 'roleid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      businessunitid:l>businessunit canbedeleted:mg importsequencenumber:i iscustomizable:mg
      isinherited:p name:s overriddencreatedon:dt roleid:pk businessunitidname:s componentstate:p
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      ismanaged:b modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:u organizationidname:s overwritetime:dt parentroleid:l>role
      parentroleidname:s parentrootroleid:l>role parentrootroleidname:s roleidunique:u
      roletemplateid:l>roletemplate solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'systemform',
    display: 'System Form',
    otc: 1030,
    ownership: 'org',
    primaryId: 'formid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      ancestorformid:l>systemform canbedeleted:mg description:m formactivationstate:p formid:pk
      formjson:m formpresentation:p formxml:m introducedversion:s isairmerged:b iscustomizable:mg
      isdefault:b isdesktopenabled:b istabletenabled:b name:s objecttypecode:e type:p
      uniquename:s version:i ancestorformidname:s componentstate:p formidunique:u
      formxmlmanaged:m ismanaged:b organizationid:l>organization organizationidname:s
      overwritetime:dt publishedon:dt solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'savedquery',
    display: 'View',
    otc: 1039,
    ownership: 'org',
    primaryId: 'savedqueryid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      advancedgroupby:s canbedeleted:mg columnsetxml:m conditionalformatting:m description:m
      fetchxml:m introducedversion:s iscustomizable:mg isdefault:b isquickfindquery:b
      layoutjson:m layoutxml:m name:s offlinesqlquery:m queryappusage:i querytype:i
      returnedtypecode:e savedqueryid:pk statecode:st statuscode:ss componentstate:p
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      iscustom:b ismanaged:b isprivate:b isuserdefined:b modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      organizationtaborder:i overwritetime:dt queryapi:s savedqueryidunique:u solutionid:u
      supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'userquery',
    display: 'Saved View',
    otc: 4230,
    ownership: 'user',
    primaryId: 'userqueryid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      advancedgroupby:s columnsetxml:m conditionalformatting:m description:m fetchxml:m
      layoutjson:m layoutxml:m name:s offlinesqlquery:m ownerid:o>systemuser,team owneridtype:e
      parentqueryid:l querytype:i returnedtypecode:e statecode:st statuscode:ss userqueryid:pk
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser modifiedby:l>systemuser
      modifiedon:dt modifiedonbehalfby:l>systemuser owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      versionnumber:bi`),
  },
  {
    name: 'webresource',
    display: 'Web Resource',
    otc: 9333,
    ownership: 'org',
    primaryId: 'webresourceid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      canbedeleted:mg content:s contentjson:m dependencyxml:m description:m displayname:s
      introducedversion:s isavailableformobileoffline:b iscustomizable:mg
      isenabledformobileclient:b ishidden:mg languagecode:i name:s silverlightversion:s
      webresourceid:pk webresourcetype:p componentstate:p contentfileref:fl contentfileref_name:s
      contentjsonfileref:fl contentjsonfileref_name:s createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser ismanaged:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser organizationid:l>organization overwritetime:dt solutionid:u
      supportingsolutionid:u versionnumber:bi webresourceidunique:u`),
  },
  {
    name: 'workflow',
    display: 'Process',
    otc: 4703,
    ownership: 'user',
    primaryId: 'workflowid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      asyncautodelete:b billingcontext:m businessprocesstype:p category:p claims:m clientdata:m
      connectionreferences:m createmetadata:m createstage:p credentials:m definition:m
      deletestage:p dependencies:m description:m desktopflowmodules:m dynamicssolutioncontext:m
      entityimage:img formid:u inputparameters:m inputs:m introducedversion:s iscustomizable:mg
      iscustomprocessingstepallowedforotherpublishers:mg istransacted:b languagecode:i
      licensee:l>systemuser licenseentitledby:l>workflow metadata:m mode:p modernflowtype:p
      modifymetadata:m name:s ondemand:b outputs:m ownerid:o>systemuser owneridtype:e
      planverified:b primaryentity:e processorder:i processroleassignment:m
      processtriggerformid:u processtriggerscope:p rank:i rendererobjecttypecode:e
      resourcecontainer:s resourceid:u runas:p schemaversion:s scope:p statecode:st statuscode:ss
      subprocess:b suspensionreasondetails:m syncworkflowlogonfailure:b throttlingbehavior:p
      triggeroncreate:b triggerondelete:b triggeronupdateattributelist:m type:p uiflowtype:p
      uniquename:s updatestage:p workflowid:pk xaml:m activeworkflowid:l>workflow
      clientdataiscompressed:b componentstate:p createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser entityimage_timestamp:bi entityimage_url:s entityimageid:u
      iscrmuiworkflow:b ismanaged:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser overwritetime:dt owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      parentworkflowid:l>workflow plugintypeid:l>sdkmessagefilter sdkmessageid:l>sdkmessage
      solutionid:u supportingsolutionid:u trustedaccess:b uidata:m versionnumber:bi
      workflowidunique:u`),
  },
  {
    name: 'processsession',
    display: 'Process Session',
    otc: 4710,
    ownership: 'user',
    primaryId: 'processsessionid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      activityname:s canceledon:dt comments:m completedon:dt errorcode:i executedby:l>systemuser
      inputarguments:m name:s nextlinkedsessionid:l>processsession
      originatingsessionid:l>processsession ownerid:o>systemuser,team owneridtype:e
      previouslinkedsessionid:l>processsession processid:l>workflow processsessionid:pk
      processstagename:s processstate:s regardingobjectid:l>account,contact
      regardingobjectidname:s regardingobjectidyominame:s regardingobjecttypecode:e startedon:dt
      statecode:st statuscode:ss stepname:s canceledby:l>systemuser canceledbyname:s
      canceledbyyominame:s completedby:l>systemuser completedbyname:s completedbyyominame:s
      createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      executedbyname:s executedbyyominame:s executedon:dt modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s nextlinkedsessionidname:s
      originatingsessionidname:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser previouslinkedsessionidname:s processidname:s protectionkey:s
      startedby:l>systemuser startedbyname:s startedbyyominame:s`),
  },
  {
    name: 'solution',
    display: 'Solution',
    otc: 7100,
    ownership: 'org',
    primaryId: 'solutionid',
    primaryName: 'friendlyname',
    source: 'dataverse',
    columns: cols(`
      configurationpageid:l>webresource description:s friendlyname:s publisherid:l>publisher
      solutionid:pk solutionpackageversion:s solutiontype:p templatesuffix:s thumbprint:s
      uniquename:s version:s configurationpageidname:s createdby:l>systemuser createdbyname:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s installedon:dt isapimanaged:b isinternal:b ismanaged:b
      isvisible:b modifiedby:l>systemuser modifiedbyname:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      organizationid:l>organization organizationidname:s parentsolutionid:l>solution
      parentsolutionidname:s pinpointassetid:s pinpointpublisherid:bi
      pinpointsolutiondefaultlocale:s pinpointsolutionid:bi publisheridname:s
      publisheridoptionvalueprefix:i publisheridprefix:s updatedon:dt upgradeinfo:m
      versionnumber:bi`),
  },
  {
    name: 'publisher',
    display: 'Publisher',
    otc: 7101,
    ownership: 'org',
    primaryId: 'publisherid',
    primaryName: 'friendlyname',
    source: 'dataverse',
    columns: cols(`
      address1_addressid:u address1_addresstypecode:p address1_city:s address1_country:s
      address1_county:s address1_fax:s address1_latitude:f address1_line1:s address1_line2:s
      address1_line3:s address1_longitude:f address1_name:s address1_postalcode:s
      address1_postofficebox:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_latitude:f address2_line1:s
      address2_line2:s address2_line3:s address2_longitude:f address2_name:s
      address2_postalcode:s address2_postofficebox:s address2_shippingmethodcode:p
      address2_stateorprovince:s address2_telephone1:s address2_telephone2:s
      address2_telephone3:s address2_upszone:s address2_utcoffset:i
      customizationoptionvalueprefix:i customizationprefix:s description:s emailaddress:s
      entityimage:img friendlyname:s publisherid:pk supportingwebsiteurl:s uniquename:s
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser entityimage_timestamp:bi
      entityimage_url:s entityimageid:u isreadonly:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser organizationid:l>organization
      pinpointpublisherdefaultlocale:s pinpointpublisherid:bi versionnumber:bi`),
  },
  {
    name: 'sdkmessage',
    display: 'Sdk Message',
    otc: 4606,
    ownership: 'org',
    primaryId: 'sdkmessageid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      autotransact:b availability:i categoryname:s executeprivilegename:s expand:b
      introducedversion:s isactive:b isprivate:b isreadonly:b name:s sdkmessageid:pk template:b
      componentstate:p createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser
      customizationlevel:i ismanaged:b isvalidforexecuteasync:b modifiedby:l>systemuser
      modifiedon:dt modifiedonbehalfby:l>systemuser organizationid:l>organization
      overwritetime:dt sdkmessageidunique:u solutionid:u supportingsolutionid:u
      throttlesettings:s versionnumber:bi workflowsdkstepenabled:b`),
  },
  {
    name: 'sdkmessagefilter',
    display: 'Sdk Message Filter',
    otc: 4607,
    ownership: 'org',
    primaryId: 'sdkmessagefilterid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      availability:i introducedversion:s iscustomprocessingstepallowed:b name:s
      restrictionlevel:i sdkmessagefilterid:pk sdkmessageid:l>sdkmessage componentstate:p
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser customizationlevel:i
      ismanaged:b isvisible:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser organizationid:l>organization overwritetime:dt
      primaryobjecttypecode:e sdkmessagefilteridunique:u secondaryobjecttypecode:e solutionid:u
      supportingsolutionid:u versionnumber:bi workflowsdkstepenabled:b`),
  },
  {
    name: 'pluginassembly',
    display: 'Plug-in Assembly',
    otc: 4605,
    ownership: 'org',
    primaryId: 'pluginassemblyid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      authtype:p content:s culture:s description:s introducedversion:s iscustomizable:mg
      ishidden:mg isolationmode:p managedidentityid:l>managedidentity name:s
      packageid:l>pluginpackage password:s path:s pluginassemblyid:pk publickeytoken:s
      sourcehash:s sourcetype:p url:s username:s version:s componentstate:p
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser customizationlevel:i
      ismanaged:b ispasswordset:b major:i minor:i modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser organizationid:l>organization overwritetime:dt
      pluginassemblyidunique:u solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'plugintype',
    display: 'Plug-in Type',
    otc: 4602,
    ownership: 'org',
    primaryId: 'plugintypeid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      description:s friendlyname:s name:s pluginassemblyid:l>pluginassembly plugintypeexportkey:s
      plugintypeid:pk typename:s workflowactivitygroupname:s assemblyname:s componentstate:p
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser culture:s
      customizationlevel:i customworkflowactivityinfo:m ismanaged:b isworkflowactivity:b major:i
      minor:i modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser
      organizationid:l>organization overwritetime:dt plugintypeidunique:u publickeytoken:s
      solutionid:u supportingsolutionid:u version:s versionnumber:bi`),
  },
  {
    name: 'sdkmessageprocessingstep',
    display: 'Sdk Message Processing Step',
    otc: 4608,
    ownership: 'org',
    primaryId: 'sdkmessageprocessingstepid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      asyncautodelete:b canbebypassed:b canusereadonlyconnection:b category:s configuration:s
      description:s enablepluginprofiler:b eventexpander:s
      eventhandler:l>plugintype,serviceendpoint eventhandlertypecode:e filteringattributes:s
      fxexpressionid:l>fxexpression impersonatinguserid:l>systemuser introducedversion:s
      invocationsource:p iscustomizable:mg ishidden:mg mode:p name:s
      plugintypeid:l>sdkmessagefilter powerfxruleid:l>powerfxrule rank:i
      runtimeintegrationproperties:s sdkmessagefilterid:l>sdkmessagefilter
      sdkmessageid:l>sdkmessage sdkmessageprocessingstepid:pk
      sdkmessageprocessingstepsecureconfigid:l>sdkmessageprocessingstepsecureconfig stage:p
      statecode:st statuscode:ss supporteddeployment:p componentstate:p createdby:l>systemuser
      createdon:dt createdonbehalfby:l>systemuser customizationlevel:i ismanaged:b
      modifiedby:l>systemuser modifiedon:dt modifiedonbehalfby:l>systemuser
      organizationid:l>organization overwritetime:dt sdkmessageprocessingstepidunique:u
      solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'asyncoperation',
    display: 'System Job',
    otc: 4700,
    ownership: 'user',
    primaryId: 'asyncoperationid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      asyncoperationid:pk breadcrumbid:u callerorigin:s correlationid:u correlationupdatedtime:dt
      data:m dependencytoken:s depth:i expanderstarttime:dt friendlymessage:m hostid:s
      messagename:s name:s operationtype:p ownerid:o>systemuser,team owneridtype:e
      owningextensionid:l>sdkmessageprocessingstep owningextensionidname:s
      owningextensiontypecode:e parentpluginexecutionid:u postponeuntil:dt primaryentitytype:e
      recurrencepattern:s recurrencestarttime:dt regardingobjectid:l>account,contact
      regardingobjectidname:s regardingobjectidyominame:s regardingobjecttypecode:e requestid:u
      retainjobhistory:b rootexecutioncontext:m statecode:st statuscode:ss
      timezoneruleversionnumber:i utcconversiontimezonecode:i workflowactivationid:l>workflow
      workload:s completedon:dt createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s datablobid:fl datablobid_name:s errorcode:i executiontimespan:f
      iswaitingforevent:b message:m modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s
      modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser retrycount:i sequence:bi startedon:dt subtype:i
      workflowactivationidname:s workflowisblocked:b workflowstagename:s workflowstate:s`),
  },
  {
    name: 'bulkdeletefailure',
    display: 'Bulk Delete Failure',
    otc: 4425,
    ownership: 'none',
    primaryId: 'bulkdeletefailureid',
    primaryName: 'errordescription',
    source: 'dataverse',
    columns: cols(`
      regardingobjectidyominame:s asyncoperationid:l>asyncoperation bulkdeletefailureid:pk
      bulkdeleteoperationid:l>bulkdeleteoperation errordescription:s errornumber:i
      orderedqueryindex:i ownerid:o>systemuser,team owneridtype:e owningbusinessunit:u
      owninguser:u regardingobjectid:l>account,contact regardingobjectidname:s
      regardingobjecttypecode:e`),
  },
  {
    name: 'duplicaterecord',
    display: 'Duplicate Record',
    otc: 4415,
    ownership: 'none',
    primaryId: 'duplicateid',
    primaryName: 'duplicateid',
    source: 'dataverse',
    columns: cols(`
      duplicateid:pk asyncoperationid:l>asyncoperation baserecordid:l>account,contact
      baserecordidname:s baserecordidtypecode:e baserecordidyominame:s createdon:dt
      duplicaterecordid:l>account,contact duplicaterecordidname:s duplicaterecordidtypecode:e
      duplicaterecordidyominame:s duplicateruleid:l>duplicaterule ownerid:o>systemuser,team
      owneridtype:e owningbusinessunit:u owninguser:u`),
  },
  {
    name: 'duplicaterule',
    display: 'Duplicate Detection Rule',
    otc: 4414,
    ownership: 'user',
    primaryId: 'duplicateruleid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      baseentityname:s description:s duplicateruleid:pk excludeinactiverecords:b
      iscasesensitive:b iscustomizable:mg matchingentityname:s name:s ownerid:o>systemuser,team
      owneridtype:e statuscode:ss timezoneruleversionnumber:i uniquename:s
      utcconversiontimezonecode:i baseentitymatchcodetable:s baseentitytypecode:p
      componentidunique:u componentstate:p createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser ismanaged:b matchingentitymatchcodetable:s
      matchingentitytypecode:p modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser overwritetime:dt owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser solutionid:u
      statecode:st supportingsolutionid:u`),
  },
  {
    name: 'principalobjectattributeaccess',
    display: 'Field Sharing',
    otc: 44,
    ownership: 'org',
    primaryId: 'principalobjectattributeaccessid',
    primaryName: 'principalobjectattributeaccessid',
    source: 'dataverse',
    columns: cols(`
      attributeid:u objectid:l>account,contact objecttypecode:e principalid:l>systemuser,team
      principalidtype:e principalobjectattributeaccessid:pk readaccess:b updateaccess:b
      organizationid:l>organization versionnumber:bi`),
  },
  {
    name: 'userentityinstancedata',
    display: 'User Entity Instance Data',
    otc: 2501,
    ownership: 'user',
    primaryId: 'userentityinstancedataid',
    primaryName: 'userentityinstancedataid',
    source: 'dynamics365',
    columns: cols(`
      commonend:dt commonstart:dt duedate:dt flagdueby:dt flagrequest:s flagstatus:i
      objectid:l>account,contact,email,incident,lead,opportunity objecttypecode:i
      ownerid:o>systemuser,team owneridtype:e personalcategories:s reminderset:b remindertime:dt
      starttime:dt todoitemflags:i todoordinaldate:dt todosubordinal:s todotitle:s
      userentityinstancedataid:pk owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      versionnumber:bi`),
  },
  {
    name: 'syncerror',
    display: 'Sync Error',
    otc: 9869,
    ownership: 'user',
    primaryId: 'syncerrorid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      action:s actiondata:s description:m errorcode:m errordetail:m errormessage:s errortime:dt
      errortype:p name:s ownerid:o>systemuser,team owneridtype:e
      regardingobjectid:l>account,contact regardingobjecttypecode:e requestdata:m statecode:st
      statuscode:ss syncerrorid:pk createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      versionnumber:bi`),
  },
  {
    name: 'plugintracelog',
    display: 'Plug-in Trace Log',
    otc: 4619,
    ownership: 'org',
    primaryId: 'plugintracelogid',
    primaryName: 'typename',
    source: 'dataverse',
    columns: cols(`
      configuration:m correlationid:u createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser depth:i exceptiondetails:m issystemcreated:b messageblock:m
      messagename:s mode:p operationtype:p organizationid:u performanceconstructorduration:i
      performanceconstructorstarttime:dt performanceexecutionduration:i
      performanceexecutionstarttime:dt persistencekey:u pluginstepid:u plugintracelogid:pk
      primaryentity:s profile:m requestid:u secureconfiguration:m typename:s`),
  },
  {
    name: 'report',
    display: 'Report',
    otc: 9100,
    ownership: 'user',
    primaryId: 'reportid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      bodybinary:s bodytext:s bodyurl:s createdinmajorversion:i defaultfilter:s description:s
      filename:s introducedversion:s iscustomizable:mg ispersonal:b languagecode:i mimetype:s
      name:s ownerid:o>systemuser,team owneridtype:e parentreportid:l>report reportid:pk
      reporttypecode:p signaturedate:dt signatureid:u signaturelcid:i signaturemajorversion:i
      signatureminorversion:i timezoneruleversionnumber:i utcconversiontimezonecode:i
      componentstate:p createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customreportxml:s filesize:i iscustomreport:b ismanaged:b isscheduledreport:b
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      originalbodytext:s overwritetime:dt owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser
      parentreportidname:s queryinfo:s rdlhash:i reportidunique:u reportnameonsrs:s schedulexml:s
      solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'documenttemplate',
    display: 'Document Template',
    otc: 9940,
    ownership: 'org',
    primaryId: 'documenttemplateid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      associatedentitytypecode:e clientdata:s content:s description:s documenttemplateid:pk
      documenttype:p languagecode:i name:s status:b createdby:l>systemuser createdon:dt
      createdonbehalfby:l>systemuser modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser organizationid:l>organization versionnumber:bi`),
  },
  {
    name: 'template',
    display: 'Email Template',
    otc: 2010,
    ownership: 'user',
    primaryId: 'templateid',
    primaryName: 'title',
    source: 'dataverse',
    columns: cols(`
      body:m description:m entityimage:img generationtypecode:i importsequencenumber:i
      introducedversion:s iscustomizable:mg ispersonal:b languagecode:i mimetype:s
      ownerid:o>systemuser,team owneridtype:e presentationxml:m safehtml:m subject:m
      subjectpresentationxml:m subjectsafehtml:m templateid:pk templatetypecode:e title:s
      componentstate:p createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      entityimage_timestamp:bi entityimage_url:s entityimageid:u ismanaged:b isrecommended:b
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      opencount:i openrate:i overwritetime:dt owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningbusinessunitname:s owningteam:l>team
      owninguser:l>systemuser replycount:i replyrate:i solutionid:u supportingsolutionid:u
      templateidunique:u usedcount:i versionnumber:bi`),
  },
  {
    name: 'fileattachment',
    display: 'File Attachment',
    otc: 55,
    ownership: 'none',
    primaryId: 'fileattachmentid',
    primaryName: 'filename',
    source: 'dataverse',
    columns: cols(`
      fileattachmentid:pk filename:s mimetype:s objectid:l>email objectidtypecode:e
      objecttypecode:e regardingfieldname:s body:s createdon:dt filepointer:s filesizeinbytes:bi
      iscommitted:b prefix:s storagepointer:s versionnumber:bi`),
  },
  {
    name: 'socialprofile',
    display: 'Social Profile',
    otc: 99,
    ownership: 'user',
    primaryId: 'socialprofileid',
    primaryName: 'profilename',
    source: 'dataverse',
    columns: cols(`
      blocked:b community:p customerid:c>account,contact customeridname:s customeridtype:e
      customeridyominame:s importsequencenumber:i influencescore:f overriddencreatedon:dt
      ownerid:o>systemuser,team owneridname:s owneridtype:e profilefullname:s profilelink:s
      profilename:s socialprofileid:pk statecode:st statuscode:ss timezoneruleversionnumber:i
      transactioncurrencyid:l>transactioncurrency uniqueprofileid:s utcconversiontimezonecode:i
      createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      owneridyominame:s owningbusinessunit:l>businessunit owningbusinessunitname:s
      owningteam:l>team owninguser:l>systemuser transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'service',
    display: 'Service',
    otc: 4001,
    ownership: 'org',
    primaryId: 'serviceid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      anchoroffset:i calendarid:u description:m duration:i granularity:s importsequencenumber:i
      initialstatuscode:ss isschedulable:b isvisible:b name:s overriddencreatedon:dt
      resourcespecid:l>resourcespec serviceid:pk showresources:b strategyid:l>plugintype
      timezoneruleversionnumber:i utcconversiontimezonecode:i createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s organizationid:l>organization
      organizationidname:s resourcespecidname:s versionnumber:bi`),
  },
  {
    name: 'calendar',
    display: 'Calendar',
    otc: 4003,
    ownership: 'business',
    primaryId: 'calendarid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      businessunitid:l>businessunit calendarid:pk description:m
      holidayschedulecalendarid:l>calendar isshared:b name:s primaryuserid:u type:p
      businessunitidname:s createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s holidayschedulecalendaridname:s modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s organizationid:l>organization
      organizationidname:s versionnumber:bi`),
  },
  {
    name: 'site',
    display: 'Site',
    otc: 4009,
    ownership: 'org',
    primaryId: 'siteid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      address1_addressid:u address1_addresstypecode:p address1_city:s address1_country:s
      address1_county:s address1_fax:s address1_latitude:f address1_line1:s address1_line2:s
      address1_line3:s address1_longitude:f address1_name:s address1_postalcode:s
      address1_postofficebox:s address1_shippingmethodcode:p address1_stateorprovince:s
      address1_telephone1:s address1_telephone2:s address1_telephone3:s address1_upszone:s
      address1_utcoffset:i address2_addressid:u address2_addresstypecode:p address2_city:s
      address2_country:s address2_county:s address2_fax:s address2_latitude:f address2_line1:s
      address2_line2:s address2_line3:s address2_longitude:f address2_name:s
      address2_postalcode:s address2_postofficebox:s address2_shippingmethodcode:p
      address2_stateorprovince:s address2_telephone1:s address2_telephone2:s
      address2_telephone3:s address2_upszone:s address2_utcoffset:i emailaddress:s
      importsequencenumber:i name:s overriddencreatedon:dt siteid:pk timezonecode:i
      timezoneruleversionnumber:i utcconversiontimezonecode:i createdby:l>systemuser
      createdbyname:s createdbyyominame:s createdon:dt createdonbehalfby:l>systemuser
      createdonbehalfbyname:s createdonbehalfbyyominame:s modifiedby:l>systemuser
      modifiedbyname:s modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser
      modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s organizationid:l>organization
      organizationidname:s versionnumber:bi`),
  },
  {
    name: 'position',
    display: 'Position',
    otc: 50,
    ownership: 'org',
    primaryId: 'positionid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      description:s importsequencenumber:i name:s overriddencreatedon:dt
      parentpositionid:l>position positionid:pk statecode:st statuscode:ss
      timezoneruleversionnumber:i transactioncurrencyid:l>transactioncurrency
      utcconversiontimezonecode:i createdby:l>systemuser createdbyname:s createdbyyominame:s
      createdon:dt createdonbehalfby:l>systemuser createdonbehalfbyname:s
      createdonbehalfbyyominame:s exchangerate:d modifiedby:l>systemuser modifiedbyname:s
      modifiedbyyominame:s modifiedon:dt modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s
      modifiedonbehalfbyyominame:s organizationid:l>organization organizationidname:s
      parentpositionidname:s transactioncurrencyidname:s versionnumber:bi`),
  },
  {
    name: 'owner',
    display: 'Owner',
    otc: 7,
    ownership: 'none',
    primaryId: 'ownerid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      ownerid:pk name:s owneridtype:e versionnumber:bi yominame:s`),
  },
  {
    name: 'attachment',
    display: 'Attachment (email)',
    otc: 1002,
    ownership: 'none',
    primaryId: 'attachmentid',
    primaryName: 'filename',
    source: 'dataverse',
    columns: cols(`
      attachmentid:pk body:s filename:s mimetype:s subject:s filepointer:s filesize:i prefix:s
      storagepointer:s versionnumber:bi`),
  },
  {
    name: 'entitlement',
    display: 'Entitlement',
    otc: 9700,
    ownership: 'user',
    primaryId: 'entitlementid',
    primaryName: 'name',
    source: 'dynamics365',
    columns: cols(`
      allocationtypecode:p customerid:c>account,contact customeridtype:e decreaseremainingon:p
      description:m emailaddress:s enddate:dt entitlementid:pk
      entitlementtemplateid:l>entitlementtemplate importsequencenumber:i isdefault:b
      kbaccesslevel:p lastonholdtime:dt name:s overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e processid:u remainingterms:d restrictcasecreation:b slaid:l>sla stageid:u
      startdate:dt statecode:st statuscode:ss timezoneruleversionnumber:i totalterms:d
      transactioncurrencyid:l>transactioncurrency traversedpath:s utcconversiontimezonecode:i
      accountid:l>account accountidname:s accountidyominame:s contactid:l>contact contactidname:s
      contactidyominame:s createdby:l>systemuser createdbyname:s createdbyyominame:s createdon:dt
      createdonbehalfby:l>systemuser createdonbehalfbyname:s createdonbehalfbyyominame:s
      customeridname:s customeridyominame:s entitlementtemplateidname:s exchangerate:d
      modifiedby:l>systemuser modifiedbyname:s modifiedbyyominame:s modifiedon:dt
      modifiedonbehalfby:l>systemuser modifiedonbehalfbyname:s modifiedonbehalfbyyominame:s
      onholdtime:i owneridname:s owneridyominame:s owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser slaidname:s transactioncurrencyidname:s
      versionnumber:bi`),
  },
  {
    name: 'languagelocale',
    display: 'Language',
    otc: 9957,
    ownership: 'org',
    primaryId: 'languagelocaleid',
    primaryName: 'name',
    source: 'dataverse',
    columns: cols(`
      languagelocaleid:pk localeid:i statecode:st statuscode:ss code:s language:s name:s
      organizationid:l>organization region:s versionnumber:bi`),
  },
  // The next four: Power Apps table reference pages (MicrosoftDocs/powerapps-docs,
  // developer/data-platform/reference/entities/<name>.md), which give no object type code for
  // them; writable columns and the read-only ones each page lists, 2026-11.
  {
    name: 'environmentvariabledefinition',
    display: 'Environment Variable Definition',
    ownership: 'user',
    primaryId: 'environmentvariabledefinitionid',
    primaryName: 'schemaname',
    source: 'dataverse',
    columns: cols(`
      apiid:s connectionreferenceid:l defaultvalue:m description:m displayname:s
      environmentvariabledefinitionid:pk hint:m importsequencenumber:i introducedversion:s
      iscustomizable:mg isrequired:b overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e parameterkey:s parentdefinitionid:l schemaname:s statecode:st statuscode:ss
      timezoneruleversionnumber:i type:p utcconversiontimezonecode:i valueschema:m
      componentstate:p createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser
      environmentvariabledefinitionidunique:u ismanaged:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser overwritetime:dt owningbusinessunit:l>businessunit
      owningteam:l>team owninguser:l>systemuser solutionid:u supportingsolutionid:u
      versionnumber:bi`),
  },
  {
    name: 'environmentvariablevalue',
    display: 'Environment Variable Value',
    ownership: 'user',
    primaryId: 'environmentvariablevalueid',
    primaryName: 'schemaname',
    source: 'dataverse',
    columns: cols(`
      environmentvariabledefinitionid:l>environmentvariabledefinition
      environmentvariablevalueid:pk importsequencenumber:i introducedversion:s iscustomizable:mg
      overriddencreatedon:dt ownerid:o>systemuser,team owneridtype:e schemaname:s statecode:st
      statuscode:ss timezoneruleversionnumber:i utcconversiontimezonecode:i value:m
      componentstate:p createdby:l>systemuser createdon:dt createdonbehalfby:l>systemuser
      environmentvariablevalueidunique:u ismanaged:b modifiedby:l>systemuser modifiedon:dt
      modifiedonbehalfby:l>systemuser overwritetime:dt owneridname:s owneridyominame:s
      owningbusinessunit:l>businessunit owningteam:l>team owninguser:l>systemuser solutionid:u
      supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'connectionreference',
    display: 'Connection Reference',
    ownership: 'user',
    primaryId: 'connectionreferenceid',
    primaryName: 'connectionreferencedisplayname',
    source: 'dataverse',
    columns: cols(`
      connectionid:s connectionreferencedisplayname:s connectionreferenceid:pk
      connectionreferencelogicalname:s connectorid:s customconnectorid:l>connector description:s
      importsequencenumber:i iscustomizable:mg overriddencreatedon:dt ownerid:o>systemuser,team
      owneridtype:e promptingbehavior:p statecode:st statuscode:ss timezoneruleversionnumber:i
      utcconversiontimezonecode:i componentidunique:u componentstate:p createdby:l>systemuser
      createdon:dt createdonbehalfby:l>systemuser ismanaged:b modifiedby:l>systemuser
      modifiedon:dt modifiedonbehalfby:l>systemuser overwritetime:dt owneridname:s
      owneridyominame:s owningbusinessunit:l>businessunit owningteam:l>team
      owninguser:l>systemuser solutionid:u supportingsolutionid:u versionnumber:bi`),
  },
  {
    name: 'aaduser',
    display: 'AAD User',
    ownership: 'org',
    primaryId: 'aaduserid',
    primaryName: 'displayname',
    source: 'dataverse',
    columns: cols(`
      aaduserid:pk accountenabled:b businessphones:s city:s companyname:s displayname:s
      givenname:s id:u imaddresses:s jobtitle:s mail:s mobilephone:s officelocation:s
      postalcode:s preferredlanguage:s streetaddress:s surname:s userprincipalname:s usertype:s
      createddatetime:dt`),
  },
];
