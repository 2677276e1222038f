"""Words for telling people's names from other capitalised words."""

from __future__ import annotations

from caseledger.domain.quality.text import words

# Common given names in England, across generations and communities. A capitalised word on
# this list is taken for a person's name; other capitalised pairs need more evidence.
FIRST_NAMES: frozenset[str] = words(
    """
    aaliyah aaron abbie abdul abdullah abigail abu ada adam adeel adrian ahmed aidan aiden
    aisha alan albert alex alexander alexandra alfie alice alicia alison amal amanda amara
    amelia amir amira amy ana andrea andrew andy angela anita ann anna anne annie anthony
    antonio archie arjun arthur asha ashley aston aurora ava ayesha barbara barry beatrice
    becky ben benjamin beth bethany betty beverley billy bilal bob bobby bonnie brandon
    brenda brian bridget brooke caitlin callum cameron carl carla carol caroline carly caryl
    casey catherine charlie charlene charles charlotte chelsea cheryl chloe chris christine
    christopher ciara claire clara colin connor craig daisy dale daniel danielle danny
    darren david dawn dean debbie deborah declan denise dennis derek diane dina dominic
    donna dorothy dylan eddie edward eileen elaine eleanor eliza elizabeth ella ellie elliot
    elsie emily emma eric erin ethan eva evelyn evie faisal farah fatima fiona florence
    francesca freddie frederick freya gail gareth gary gavin gemma george georgia geraldine
    gillian gina glen glenda gordon graham gregory hamza hannah harley harriet harrison
    harry harvey hassan hayley heather helen henry hollie hussain ian imran imogen ioana
    irene isaac isabel isabella isabelle isla ismail isobel ivan jack jackie jacob jade jake
    james jamie jan jane janet janice jason jasmine jay jayden jean jeff jennifer jenny
    jeremy jessica jill jim jimmy joan joanne jodie joe joel john jon jonathan jordan joseph
    josh joshua joyce judith julia julie justin kai karen kate katherine kathleen kathryn
    katie kayla keith kelly kerry kevin khadija kieran kim kirsty kwame kyle lacey laila
    lara laura lauren layla leah lee leo leon lewis liam lily linda lindsay lisa logan lola
    lorraine louis louise lucas lucy luke lydia lynn lynne maisie malik mandy marcus
    margaret maria marie marion martin mary mason matthew maureen max maya megan melissa mia
    michael michelle mohammed mohammad muhammad molly mustafa nadia naomi natalie natasha
    nathan neil niamh nicholas nicola nicole nigel noah nora nuala oliver olivia omar oscar
    owen paige pamela patricia paul paula pauline peter philip phoebe poppy priya rachel
    rahul rana rebecca reece rhys richard rita robert robin rosie ross ruth ryan sadie sally
    samantha samuel sam sandra sarah scarlett scott sean shane shannon sharon shaun sheila
    shirley simon sinead sophia sophie stacey stanley stella stephanie stephen steve steven
    stuart susan suzanne tanya tara teresa terry theo theodore thomas tiffany tina toby tom
    tommy tony tracey tracy tyler usman valerie vanessa vicky victor vincent wayne wendy
    william willow yasmin yusuf zac zachary zainab zara zoe zofia kacper oskar wiktoria
    olena dmitri aleksander tomasz piotr jakub anya kofi amara chidi ngozi tunde adebayo
    femi kemi yaw akua sunita raj ravi deepak anil parveen sana zahra ali hamid tariq
    nasreen shabana rukhsana nazia samir kamran riley reuben harper
    maddison madison skye ruby-mae kayden kaden jaxon bradley jordan-lee lacey-mae shanice
    tyrone leroy marcia delroy winston precious blessing chisom oluwaseun adaeze
    bailey kaiden kayden jax jaxon jenson jensen alfie-james tia tiana kacey kaci nevaeh
    lexi lexie macy maci millie milly mollie evie-mae darcie darcey darcy esme ivy-rose
    isaac-james frankie ronnie reggie teddy tommy-lee brody brodie kian keiran kieron
    caiden cayden cody corey connor-james dexter ellis elliott finley finlay harley-quinn
    jenna jodie-ann kelsey kerry-ann kimberley leanne lindsey marcus-lee marley mckenzie
    mikey nathaniel nico ollie rio ronan rory ruben sonny spencer taylor tegan tiegan
    travis trey tyler-james zack zak abdi abdirahman aaliyah-mae amani ayaan ayan aryan
    dawud eesa hafsa hamza hanna hania ibrahim idris ilyas iqra jamal junaid kadija
    kaylee kayleigh keeley kendra khalid layla-mae leila lucia maryam mehmet minnie
    mohamed muhammed nabila nasir nathan-lee noor rayan rehan rumi safiya salma sami
    samira shakira shanaya simran sofia sultan tahir tamara tasha tayla tyra umar yahya
    yasmine yousef yusra zain zayn zayden zeynep aiyana blake bradley-james carys cerys
    cian ciaran dafydd dylan-james eira ffion gethin gwen iwan lowri megan-rose osian
    rhian rhiannon seren sian siobhan tomos aoife caoimhe cormac eoin fionn oisin padraig
    roisin saoirse seamus aleksandra andrei bogdan darius dominika ewa filip gabriela
    igor jakub julia kamil karolina kasia klaudia krzysztof lukasz maja marek mateusz
    natalia nikola oliwia pawel radek szymon weronika wojciech zuzanna adam-lee alisha
    anaya asha-rose bella bethan brooklyn callie carmen chantelle courtney danny-boy
    demi destiny ebony elise emmanuel esther felicity gracie hallie harriet-rose heidi
    indie isabella-rose jaden jamie-lee jaydon jazmin jessie jolene josie kara keira
    kiera lacie leighton lennon lenny lillie lilly lyla mabel malachi maisy marnie mason-lee
    matilda mila miley mya nancy nell orla payton piper remi rhys-james riley-jay rocco
    roman rosa rowan sasha savannah sienna sky-lee stevie summer-rose tallulah theo-james
    tilly tobias valentina violet wren zack-james zainab-bibi
    """
)

# Given names that are also everyday words or months; alone they are not taken for names.
AMBIGUOUS_FIRST_NAMES: frozenset[str] = words(
    """
    will may june april august grace hope faith joy rose summer autumn mark bill pat frank
    jack dawn ruby amber holly ivy daisy robin jan max lee dean carol victor miles chase art
    sandy rocky sky river rain storm penny sunny jay guy gene
    """
)

TITLES: frozenset[str] = words(
    """
    mr mrs ms miss mx dr prof
    """
)

# Capitalised words that are not people's names: organisations, places, services, days,
# months, family roles and words that often start a sentence.
NOT_NAME_WORDS: frozenset[str] = words(
    """
    council school academy primary secondary infant infants junior nursery college
    university hospital surgery clinic practice centre center health trust nhs police
    constabulary court courts road street avenue lane close drive way crescent grove place
    terrace gardens hill park row walk square mews rise view green estate house flat flats
    tower towers court ward unit services service team teams hub panel board office
    department church mosque temple gurdwara synagogue club group partnership foundation
    charity ltd limited plc association children childrens children's social care early help
    child protection plan conference review meeting meetings assessment order section family
    families youth justice offending looked after special guardianship educational education
    psychology psychologist universal credit benefit benefits payment plus start housing
    homes home city county borough town village north south east west northern southern
    eastern western upper lower great little new old saint st kingdom england english
    scotland scottish wales welsh ireland irish british britain london birmingham manchester
    leeds liverpool bristol sheffield dudley northmoor wolverhampton walsall sandwell
    coventry leicester nottingham derby monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december christmas easter eid ramadan diwali hanukkah halloween bank holiday term half
    spring summer autumn winter boxing day national insurance mum mother dad father nan
    nanna nana gran granny grandma grandad grandmother grandfather aunt auntie aunty uncle
    cousin brother sister stepdad stepmum partner baby the a an this that these those he she
    they we i it his her their our my your on in at to for from with by of and or but if
    when while after before during following later then today yesterday tomorrow next last
    first second third please thank thanks dear hi hello kind best regards yours note notes
    action actions outcome outcomes summary update plan present apologies visit visited home
    seen spoke discussed agreed concerns concern worker manager officer nurse doctor teacher
    head headteacher deputy lead designated safeguarding senior principal consultant
    paediatrician midwife visitor therapist google facebook instagram snapchat tiktok
    whatsapp youtube xbox playstation netflix muslim christian hindu sikh jewish islam god
    allah jesus polish romanian urdu punjabi arabic french spanish somali bengali tigrinya
    pashto kurdish portuguese lithuanian year years key stage maths english science reading
    writing phonics pe art music local authority authorities programme program advice
    citizens freedom virtual project projects network aid women's womens refuge recovery
    bureau agency scheme alliance society action anonymous sure bank foodbank jobcentre
    samaritans shelter time contact designated officer designated support community
    integrated multi-agency safeguarding partnership trust's initiative campaign helpline
    line lines court's tribunal magistrates crown county family's
    original message messages forwarded subject sent cc bcc re fw fwd reply attachment
    attachments front door store stores document documents gateway prevention homeless
    homelessness options legal tyres tyre solicitors solicitor co garage motors autos cars
    taxis builders plumbing electrical estates lettings properties shop shops supermarket
    pharmacy chemist dental dentist dentists opticians salon bakery takeaway restaurant cafe
    pub inn hotel bar studio gym leisure market express direct solutions associates partners
    chambers law accountants insurance system systems portal record records database app
    forum duty referrals admin reception enquiries helpdesk mailbox confidential
    confidentiality notice disclaimer regards sincerely faithfully urgent important
    environment printing email e-mail mobile tel phone fax
    """
)

# A capitalised word directly before one of these names an organisation or a place.
ORGANISATION_WORDS: frozenset[str] = words(
    """
    council school academy primary secondary infant infants junior nursery college
    university hospital surgery clinic practice centre center health trust police
    constabulary court courts road street avenue lane close drive way crescent grove place
    terrace gardens hill park row walk square mews rise view green estate house tower towers
    ward unit services service team teams hub panel board office department church mosque
    temple gurdwara synagogue club group partnership foundation charity ltd limited plc
    association rd st ave homes authority authorities programme program advice project
    projects network aid refuge bureau agency scheme alliance society helpline tribunal
    initiative campaign tyres solicitors co garage motors autos cars taxis builders
    plumbing estates lettings shop shops supermarket pharmacy chemist dental dentists
    opticians salon bakery takeaway restaurant cafe pub inn hotel bar studio gym leisure
    market solutions associates partners chambers accountants insurance gateway store stores
    prevention options forum door
    """
)
