"""Words the spelling check knows: common misspellings, American spellings with the British
form, and the terms of the trade it must never question (recording guidance: "check
carefully for spelling mistakes"; GOV.UK style uses British English)."""

from __future__ import annotations

from caseledger.domain.quality.text import words

_MISSPELLINGS = """
abscence absence|absense absence|accomodate accommodate|accomodation accommodation
accommodation accommodation|acommodation accommodation|accross across|acheive achieve
acheived achieved|acheivement achievement|acknowlege acknowledge|acquaintence acquaintance
adress address|adressed addressed|agressive aggressive|agression aggression
agressively aggressively|allready already|alot a lot|amoung among|anual annual
apparant apparent|apparantly apparently|appearence appearance|apointment appointment
appoitment appointment|appointmnet appointment|arguement argument|assesment assessment
assesments assessments|assessmnet assessment|asessment assessment|attendence attendance
attendanse attendance|begining beginning|beleive believe|beleived believed|beleif belief
belive believe|benifit benefit|benifits benefits|bedrom bedroom|behaviuor behaviour
behavour behaviour|behaiviour behaviour|bizzare bizarre|buisness business|calender calendar
carefull careful|catagory category|cemetary cemetery|changable changeable|collegue colleague
collegues colleagues|colleage colleague|comming coming|commitee committee|comitted committed
commited committed|completly completely|concious conscious|concensus consensus
concerend concerned|conserned concerned|concernes concerns|copys copies
confidental confidential|consistant consistent|contineu continue|continous continuous
convinient convenient|critisism criticism|critisise criticise|curiousity curiosity
decison decision|decisons decisions|definately definitely|definatly definitely
definitly definitely|desparate desperate|develope develop|developement development
diffrent different|dissapear disappear|dissapeared disappeared|dissapoint disappoint
dissapointed disappointed|discusion discussion|discription description|disipline discipline
docter doctor|doesnt doesn't|didnt didn't|dosen't doesn't|embarass embarrass
embarassed embarrassed|embarrased embarrassed|enviroment environment|enviromental environmental
equiptment equipment|especialy especially|exagerate exaggerate|exagerated exaggerated
excercise exercise|existance existence|experiance experience|explaination explanation
extremly extremely|familar familiar|facinating fascinating|finaly finally|foriegn foreign
fourty forty|freind friend|freinds friends|frends friends|fullfil fulfil|fulfill fulfil
gaurd guard|gaurdian guardian|goverment government|grammer grammar|greatful grateful
garantee guarantee|harrass harass|harrassment harassment|happend happened|hieght height
heirarchy hierarchy|hospitalisd hospitalised|humourous humorous|hygine hygiene|hygeine hygiene
hygene hygiene|ignorence ignorance|imediately immediately|immediatly immediately
immediatley immediately|independant independent|independance independence
indispensible indispensable|infomation information|informaton information|inital initial
intergrate integrate|intrest interest|interupt interrupt|interupted interrupted
irrelevent irrelevant|knowlege knowledge|knowlegde knowledge|liase liaise|liasing liaising
liason liaison|libary library|lisence licence|lenght length|maintainance maintenance
maintenence maintenance|managment management|manouvre manoeuvre|medecine medicine
millenium millennium|miniture miniature|mischievious mischievous|mispell misspell
mispelled misspelt|neccessary necessary|necesary necessary|neccesary necessary
neccessarily necessarily|nieghbour neighbour|neighbour's neighbour's|noticable noticeable
ocasion occasion|occassion occasion|occassionally occasionally|ocassionally occasionally
occured occurred|occurence occurrence|occurance occurrence|occuring occurring
ommission omission|ommit omit|oppurtunity opportunity|oppertunity opportunity|orignal original
paralell parallel|parliment parliament|particulary particularly|peice piece|percieve perceive
percieved perceived|perminent permanent|permenant permanent|persistant persistent
personel personnel|pharmacie pharmacy|phisical physical|physcial physical|plesant pleasant
posession possession|possesion possession|potatos potatoes|preceed precede|prefered preferred
prescence presence|privelege privilege|priviledge privilege|probabley probably|probaly probably
proffesional professional|profesional professional|professionaly professionally|promiss promise
pronounciation pronunciation|publically publicly|questionaire questionnaire
questionnair questionnaire|recieve receive|recieved received|reciept receipt
recieving receiving|recomend recommend|recomended recommended|reccomend recommend
reccommend recommend|reccomended recommended|refered referred|referal referral
refferal referral|reffered referred|relevent relevant|religous religious|rember remember
remeber remember|repitition repetition|resistence resistance|responsability responsibility
responsibilty responsibility|resturant restaurant|rythm rhythm|safegaurding safeguarding
safeguading safeguarding|scedule schedule|shedule schedule|secratary secretary|seige siege
sentance sentence|seperate separate|seperated separated|seperately separately
seperation separation|sergant sergeant|sieze seize|similiar similar|sincerly sincerely
skilfull skilful|speach speech|stragety strategy|strenght strength|succesful successful
successfull successful|sucessful successful|suprise surprise|suprised surprised
surpise surprise|temperture temperature|tendancy tendency|therapys therapies|thier their
threshhold threshold|tommorow tomorrow|tommorrow tomorrow|tomorow tomorrow|tounge tongue
truely truly|twelth twelfth|tyrany tyranny|underate underrate|unforseen unforeseen
unfortunatly unfortunately|untill until|upto up to|usualy usually|vaccum vacuum
vegatable vegetable|vehical vehicle|visable visible|wether whether|wierd weird
wellbeing wellbeing|wensday Wednesday|wednsday Wednesday|wendsday Wednesday|febuary February
feburary February|saturaday Saturday|thursady Thursday|whereever wherever|wich which
withdrawl withdrawal|writen written|writting writing|yeild yield|youself yourself
wouldnt wouldn't|couldnt couldn't|shouldnt shouldn't|wasnt wasn't|isnt isn't|havent haven't
hasnt hasn't|wont won't|arguements arguments|alledged alleged|alledgedly allegedly
allegedy allegedly|anxeity anxiety|anxitey anxiety|apologise apologise|avaliable available
availible available|beautifull beautiful|becuase because|becasue because|beacuse because
bruse bruise|bruseing bruising|brusing bruising|cheif chief|childrens children's|childs child's
comunication communication|communcation communication|concious conscious
conversaton conversation|councellor counsellor|councelling counselling|dissagree disagree
disclousure disclosure|disclosre disclosure|enquirey enquiry|eviction eviction
grandparant grandparent|grandmther grandmother|harrased harassed|hopefull hopeful
identifed identified|immediete immediate|inapropriate inappropriate
innappropriate inappropriate|medicaton medication|medcation medication|mentaly mentally
neglet neglect|nessesary necessary|ofcourse of course|parant parent|parants parents
parnet parent|payed paid|pyschologist psychologist|psycologist psychologist
psycology psychology|realy really|reccord record|recived received|sayed said|schedual schedule
sibbling sibling|siblins siblings|sucess success|supervison supervision|tellephone telephone
thankyou thank you|togther together|truley truly|unconcious unconscious
"""

# More of the commonest misspellings in English, and in case notes in particular.
_MORE_MISSPELLINGS = """
abandonned abandoned|aberation aberration|abilty ability|abondon abandon|abouve above
absance absence|abscent absent|absolutly absolutely|abuseive abusive|abusve abusive
acadamy academy|accademic academic|accademy academy|acceptence acceptance|accesible accessible
accidently accidentally|accidentaly accidentally|accomadate accommodate
accomadation accommodation|accomodating accommodating|accompaning accompanying
accomplised accomplished|accordian accordion|accout account|acount account|accusse accuse
accustommed accustomed|achievment achievement|acknowleged acknowledged|aknowledge acknowledge
aknowledged acknowledged|acknowldge acknowledge|acommodate accommodate|acquited acquitted
acros across|activites activities|actualy actually|adaquate adequate|adequit adequate
addmission admission|addtional additional|additonal additional|adolecent adolescent
adolesent adolescent|adress address|advertisment advertisement|advesary adversary
adviced advised|affraid afraid|aggresive aggressive|agressiveness aggressiveness
agreemnt agreement|alegation allegation|alegations allegations|allegded alleged
alchohol alcohol|alcohal alcohol|alchol alcohol|alcaholic alcoholic|alcholic alcoholic
alledge allege|allmost almost|alltogether altogether|alwasy always|alwyas always|ammount amount
amonst amongst|anounced announced|anouncement announcement|anual annual|anwser answer
anxios anxious|anxous anxious|apparentely apparently|appartment apartment|apparrent apparent
appologise apologise|appologised apologised|appologies apologies|appreciatte appreciate
approch approach|approriate appropriate|apropriate appropriate|appropiate appropriate
aproximately approximately|approximatly approximately|apprentiship apprenticeship
apprenticship apprenticeship|aprentice apprentice|arangement arrangement|arrangment arrangement
arrangments arrangements|arragement arrangement|arival arrival|arrivied arrived
asthetic aesthetic|atempt attempt|atempted attempted|attemped attempted|attendence attendance
attendent attendant|atttend attend|attitide attitude|audiance audience|avaiable available
availabe available|avalible available|awfull awful|awkard awkward|bahaviour behaviour
basicly basically|basicaly basically|batchelor bachelor|beatiful beautiful|becomming becoming
becuse because|befor before|begginning beginning|beggining beginning|behavoiur behaviour
behavoir behaviour|beleiving believing|belived believed|benificial beneficial|betwen between
bicicle bicycle|boundry boundary|boundries boundaries|brakefast breakfast|breakfeast breakfast
brillant brilliant|britian Britain|brocolli broccoli|brusied bruised|bruize bruise
bulliing bullying|buisiness business|bussiness business|calander calendar
cancelation cancellation|carreer career|carrer career|catagories categories
cieling ceiling|certian certain|challange challenge|challanging challenging|changeing changing
charachter character|charactor character|chauffer chauffeur|childern children|chidren children
childen children|childrens' children's|chocolote chocolate|choclate chocolate|chosing choosing
cigarrette cigarette|cigerette cigarette|circumstaces circumstances|cirumstances circumstances
clenliness cleanliness|cleaness cleanliness|collegues colleagues|colum column
comfortible comfortable|comfterble comfortable|comittee committee|commision commission
committment commitment|commitee committee|comunity community|commuinty community
compatable compatible|competant competent|completley completely|complaning complaining
concequences consequences|consequenses consequences|consequnces consequences|concered concerned
concering concerning|condem condemn|conferance conference|confernce conference
confidance confidence|confidentiallity confidentiality|congradulate congratulate
conscent consent|concent consent|consientious conscientious|consious conscious
consistancy consistency|constent consent|continualy continually|contraversy controversy
controled controlled|convienent convenient|convience convenience|cooperatation cooperation
coroporate corporate|correspondance correspondence|coudl could|councilling counselling
couselling counselling|cousellor counsellor|curiculum curriculum|currantly currently
curently currently|currenly currently|custady custody|custordy custody|cutomer customer
damadge damage|dammage damage|daugher daughter|daugter daughter|daugther daughter
decieve deceive|decieved deceived|decission decision|defendent defendant|definate definite
defintely definitely|definetly definitely|definitley definitely|delemma dilemma|dilema dilemma
dependance dependence|depresion depression|desicion decision|desease disease|desision decision
desprate desperate|detatched detached|detremental detrimental|develoment development
developmant development|diagnossis diagnosis|diagnoised diagnosed|diaganosis diagnosis
dicipline discipline|diffrence difference|diffrences differences|dificult difficult
difficulity difficulty|dificulty difficulty|dilligent diligent|dirrect direct
disapointed disappointed|disapointment disappointment|disappoinment disappointment
disasterous disastrous|discusions discussions|discusssed discussed|discused discussed
disscussed discussed|disscuss discuss|dissappointed disappointed|distruction destruction
disturbence disturbance|doctore doctor|doughter daughter|drunkeness drunkenness|dosnt doesn't
durring during|dureing during|ecstacy ecstasy|educaton education|effeciency efficiency
efficent efficient|eigth eighth|elligible eligible|eligable eligible|embarassing embarrassing
embarrasing embarrassing|embarassment embarrassment|emmergency emergency|emergancy emergency
emotinal emotional|emotionaly emotionally|encourge encourage|encouragment encouragement
enrolement enrolment|enterance entrance|enthusiatic enthusiastic|entrepeneur entrepreneur
envolved involved|equipement equipment|equivelant equivalent|escallate escalate
escelate escalate|esential essential|essentialy essentially|establised established
evidance evidence|exagerating exaggerating|excede exceed|excelent excellent|excellant excellent
excitment excitement|exersize exercise|exibit exhibit|existant existent|expecially especially
experiance experience|experianced experienced|explenation explanation|explane explain
extreem extreme|facillity facility|facilites facilities|familiy family|famliy family
familes families|familys families|fasinate fascinate|feild field|fianlly finally
finacial financial|financialy financially|finnished finished|firey fiery
flourescent fluorescent|foward forward|foreward forward|fourty forty|freindly friendly
frequantly frequently|frustated frustrated|fufill fulfil|furthur further|futher further
gauruntee guarantee|generaly generally|genious genius|glamourous glamorous|goverment government
govenment government|grandaughter granddaughter|grandparants grandparents|greatful grateful
guage gauge|guarentee guarantee|guardain guardian|guidence guidance|happenned happened
happyness happiness|harasment harassment|havent haven't|heighth height|helpfull helpful
heros heroes|hersself herself|hinderance hindrance|hiself himself|homeles homeless
honourary honorary|hopefuly hopefully|hospitol hospital|humerous humorous|hygeniene hygiene
hypocracy hypocrisy|hypocrit hypocrite|identifiy identify|idenitfy identify|ilness illness
illiegal illegal|imaginery imaginary|imediate immediate|immediatley immediately
immediatelly immediately|immidiately immediately|improvment improvement|incidently incidentally
independant independent|independantly independently|indispensible indispensable
influance influence|infomation information|informaton information|inital initial
innoculate inoculate|inocent innocent|inteligent intelligent|intelligance intelligence
interferance interference|interupt interrupt|interupted interrupted|intervension intervention
intrest interest|intresting interesting|invloved involved|involvment involvement
irrelevent irrelevant|irresistable irresistible|isolatted isolated|jelousy jealousy
jewelery jewellery|jouney journey|judgemnt judgement|knowlege knowledge
knowledgable knowledgeable|labratory laboratory|langauge language|languge language
lastest latest|leage league|legitamate legitimate|lenght length|lesure leisure|liase liaise
liasing liaising|liason liaison|libary library|lieutenent lieutenant|likelyhood likelihood
liklihood likelihood|litrature literature|lonelyness loneliness|loosing losing
maintainance maintenance|maintenence maintenance|managment management|manouver manoeuvre
marrage marriage|medecine medicine|medicin medicine|medicaly medically|medeval medieval
mentaly mentally|millenium millennium|miniture miniature|mischevious mischievous
mischievious mischievous|mispell misspell|misspel misspell|mortgauge mortgage|morgage mortgage
naturaly naturally|neccessary necessary|neccesary necessary|necesary necessary
necessery necessary|negotation negotiation|neice niece|neigbour neighbour|nieghbour neighbour
nervious nervous|noticable noticeable|noticably noticeably|nusiance nuisance|nuisence nuisance
obediant obedient|occassion occasion|occassionally occasionally|occasionaly occasionally
occured occurred|occurence occurrence|occurrance occurrence|ocurred occurred|offical official
ommission omission|omited omitted|oppertunity opportunity|oportunity opportunity|opinon opinion
oppinion opinion|orignal original|outragous outrageous|overwelmed overwhelmed
overwelming overwhelming|paralell parallel|parliment parliament|particulary particularly
pasttime pastime|payed paid|peice piece|percieve perceive|percieved perceived
performence performance|permanant permanent|permision permission|perseverence perseverance
persistant persistent|personell personnel|personaly personally|persue pursue|phisical physical
physcial physical|plesant pleasant|poisonus poisonous|polical political|posession possession
possesion possession|possibilty possibility|potentialy potentially|practicly practically
prefered preferred|preferance preference|pregancy pregnancy|pregnacy pregnancy
prejudise prejudice|presance presence|presense presence|prevelant prevalent|primarly primarily
priviledge privilege|privelege privilege|probaly probably|probablly probably|problably probably
proceedure procedure|procede proceed|proffesional professional|professinal professional
profesional professional|professionaly professionally|progess progress|promiss promise
pronounciation pronunciation|propoganda propaganda|prosecuter prosecutor|protrayed portrayed
psycological psychological|psychiatic psychiatric|publically publicly|pursuade persuade
quater quarter|questionaire questionnaire|quiting quitting|raditor radiator|radiater radiator
reccomendation recommendation|recomendation recommendation|recconcile reconcile
reconise recognise|recogise recognise|recomendations recommendations|recurrance recurrence
refridgerator refrigerator|regluar regular|reguarly regularly|regulary regularly
reherse rehearse|relience reliance|religeous religious|reluctent reluctant|remmember remember
reminisent reminiscent|repetative repetitive|repetetive repetitive|represenative representative
requirment requirement|resistent resistant|responce response|responsable responsible
responsiblity responsibility|restaraunt restaurant|resonable reasonable|reasonble reasonable
rediculous ridiculous|ridiculus ridiculous|safty safety|saftey safety|sandwhich sandwich
scarey scary|schizophrania schizophrenia|secondry secondary|secretery secretary|sieze seize
sence sense|sentance sentence|severly severely|shoping shopping|sholder shoulder|shoud should
sibilings siblings|sibbilings siblings|siblngs siblings|signiture signature
significent significant|simplier simpler|sinse since|skillfull skilful|socail social
speaked spoke|specificaly specifically|sponser sponsor|stabalise stabilise|staionery stationery
stategy strategy|stomache stomach|stoped stopped|stoping stopping|straitforward straightforward
strenth strength|stregth strength|struggleing struggling|stuggling struggling|studing studying
subconcious subconscious|substancial substantial|succede succeed|succesfully successfully
successfuly successfully|sucessfully successfully|suceed succeed|sufficent sufficient
suicidle suicidal|superintendant superintendent|supercede supersede|supose suppose
suposed supposed|suppossed supposed|supress suppress|surley surely|surveilance surveillance
symtoms symptoms|symptons symptoms|sympton symptom|sytem system|teh the|tempory temporary
temperary temporary|tendancy tendency|theif thief|themselfs themselves|themselfes themselves
theirselves themselves|therefor therefore|thoughout throughout|throught through
thouroughly thoroughly|thorougly thoroughly|tierd tired|tomatos tomatoes|tonge tongue
toungue tongue|tradgedy tragedy|tradgic tragic|tranfer transfer|transfered transferred
transfering transferring|transision transition|truely truly|tyrany tyranny|unabel unable
uncomfertable uncomfortable|unconcious unconscious|undoubtably undoubtedly
unecessary unnecessary|unneccessary unnecessary|unfortunatley unfortunately
unfortunetly unfortunately|unfortunatelly unfortunately|unhappyness unhappiness|unkown unknown
unnaturaly unnaturally|unsuccesful unsuccessful|untill until|unusualy unusually|upsetted upset
usefull useful|useing using|vaccinatons vaccinations|vacinations vaccinations|vaccum vacuum
valuble valuable|vegtables vegetables|vengance vengeance|verbaly verbally|vicinty vicinity
vigourous vigorous|villian villain|violance violence|violant violent|visiter visitor
volountary voluntary|voluntery voluntary|vunerable vulnerable|vulnerible vulnerable
vulnrable vulnerable|wanst wasn't|warrent warrant|weild wield|wellfare welfare
wereabouts whereabouts|wherabouts whereabouts|whith with|wholy wholly|wieght weight
wierdly weirdly|wilfull wilful|withold withhold|witheld withheld|wittness witness|woud would
wreckless reckless|writeing writing|yatch yacht|yeterday yesterday|yesturday yesterday
yestarday yesterday|ther their|thier their|freinds friends|recieving receiving|achive achieve
achived achieved|apoligised apologised|apolagised apologised|attened attended|atended attended
attentded attended|bedrooom bedroom|bedrrom bedroom|comunicate communicate|concious conscious
concerened concerned|consern concern|conserns concerns|councelor counsellor
dissclosure disclosure|disclossed disclosed|discloure disclosure|emotionl emotional
enviroment environment|excluson exclusion|exlusion exclusion|excludded excluded
explaned explained|explainded explained|expresed expressed|familly family|feelins feelings
gaurdian guardian|grandmotherr grandmother|gradualy gradually|happyly happily|hopsital hospital
hosptial hospital|incedent incident|incidnet incident|injurys injuries|injurey injury
intrested interested|interveiw interview|iniatially initially|initally initially
inititally initially|meetting meeting|meating meeting|mentionned mentioned|nappys nappies
neglectfull neglectful|neighboor neighbour|nightime night-time|ocasion occasion
oustanding outstanding|paedatrician paediatrician|pediatritian paediatrician|parnets parents
personnal personal|plased placed|placment placement|placemnt placement|playgroud playground
polic police|pollice police|posative positive|possitive positive|prefrence preference
pyjamma pyjama|reciept receipt|refferral referral|referalls referrals|relationshp relationship
relatioship relationship|releived relieved|rememberd remembered|repeatidly repeatedly
repeatedy repeatedly|respecful respectful|respitory respiratory|routeen routine|rutine routine
schoold school|shcool school|scool school|seperatly separately|seperating separating
socila social|staement statement|statment statement|stastement statement|suport support
suported supported|suportive supportive|supportve supportive|surgury surgery|teenger teenager
teneger teenager|tomorrw tomorrow|tommorow tomorrow|truency truancy|unhappey unhappy
uniformm uniform|vistor visitor|visted visited|vistied visited|whent went|wich which
woried worried|worryed worried|wory worry|yound young
"""

_AMERICAN = """
color colour|colors colours|colored coloured|coloring colouring|colorful colourful
behavior behaviour|behaviors behaviours|behavioral behavioural|behaviorally behaviourally
favor favour|favors favours|favorite favourite|favorites favourites|favorable favourable
honor honour|honors honours|honored honoured|humor humour|labor labour|labored laboured
neighbor neighbour|neighbors neighbours|neighborhood neighbourhood|neighboring neighbouring
rumor rumour|rumors rumours|harbor harbour|vapor vapour|savior saviour|endeavor endeavour
endeavors endeavours|flavor flavour|odor odour|odors odours|vigor vigour|rigor rigour
armor armour|parlor parlour|candor candour|demeanor demeanour|clamor clamour|tumor tumour
center centre|centers centres|centered centred|theater theatre|theaters theatres|liter litre
fiber fibre|caliber calibre|somber sombre|specter spectre|meager meagre|luster lustre
pediatric paediatric|pediatrician paediatrician|pediatricians paediatricians
pediatrics paediatrics|anemia anaemia|anemic anaemic|anesthetic anaesthetic
anesthesia anaesthesia|diarrhea diarrhoea|hemorrhage haemorrhage|leukemia leukaemia
orthopedic orthopaedic|gynecology gynaecology|gynecologist gynaecologist|esophagus oesophagus
estrogen oestrogen|edema oedema|defense defence|offense offence|pretense pretence
catalog catalogue|analog analogue|jewelry jewellery|aluminum aluminium|pajamas pyjamas
mold mould|moldy mouldy|gray grey|plow plough|skeptical sceptical|traveled travelled
traveling travelling|traveler traveller|canceled cancelled|canceling cancelling
counselor counsellor|counselors counsellors|counseling counselling|counseled counselled
modeling modelling|labeled labelled|labeling labelling|fueled fuelled|enrollment enrolment
enrollments enrolments|installment instalment|skillful skilful|willful wilful|aging ageing
cozy cosy|math maths|diaper nappy|diapers nappies|mom mum|moms mums|mommy mummy
program programme|programs programmes|maneuver manoeuvre|sulfur sulphur|airplane aeroplane
donut doughnut|gotten got|fulfillment fulfilment|marvelous marvellous|woolen woollen
jeweler jeweller|practicing practising|practiced practised
mustache moustache|mustaches moustaches|smolder smoulder|smoldering smouldering
skeptic sceptic|skeptics sceptics|skepticism scepticism|skeptically sceptically
esthetic aesthetic|anesthetist anaesthetist|anesthetics anaesthetics|hematology haematology
hemoglobin haemoglobin|feces faeces|fecal faecal|hematoma haematoma|cesarean caesarean
gynecological gynaecological|pedophile paedophile|pedophiles paedophiles
pedophilia paedophilia|archeology archaeology|orthopedics orthopaedics|leukemic leukaemic
anemics anaemics|maneuvers manoeuvres|maneuvered manoeuvred|maneuvering manoeuvring
enroll enrol|enrolls enrols|instill instil|instills instils|fulfills fulfils
installments instalments|acknowledgment acknowledgement|acknowledgments acknowledgements
abridgment abridgement|catalogs catalogues|cataloged catalogued|dialogs dialogues
prolog prologue|monolog monologue|epilog epilogue|grays greys|grayish greyish|plows ploughs
molds moulds|molding moulding|molded moulded|pajama pyjama|cozier cosier|coziness cosiness
donuts doughnuts|airplanes aeroplanes|mommies mummies|moms' mums'|mom's mum's
analyzes analyses|analyzer analyser|paralyzes paralyses|paralyzing paralysing
breathalyzer breathalyser|catalyzed catalysed|defenses defences|offenses offences
defenseless defenceless|pretenses pretences|licensure licensing|cell-phone mobile phone
sulfate sulphate|aluminium aluminium|kilometer kilometre|kilometers kilometres
centimeter centimetre|centimeters centimetres|millimeter millimetre|millimeters millimetres
liters litres|fibers fibres|theatergoer theatregoer|centerpiece centrepiece|centering centring
"""

# British words in -our, -re and -l: the American forms (and their common endings) are built
# from these stems.
_OUR_WORDS = """
behaviour colour favour honour humour labour neighbour rumour harbour vapour saviour endeavour
flavour odour vigour rigour armour parlour candour demeanour clamour tumour valour splendour
fervour ardour savour
"""
_OUR_ENDINGS = (
    "",
    "s",
    "ed",
    "ing",
    "ful",
    "fully",
    "ite",
    "ites",
    "able",
    "ably",
    "hood",
    "hoods",
    "al",
    "ally",
    "less",
    "er",
    "ers",
    "ism",
    "ist",
    "ists",
    "y",
)
_RE_WORDS = """
centre theatre litre fibre calibre sombre spectre meagre lustre sabre ochre reconnoitre
"""
_RE_ENDINGS = ("", "s", "d")
_LL_STEMS = """
travel cancel label counsel model fuel signal total level marvel channel dial jewel libel
quarrel rival shovel tunnel duel panel pedal refuel snorkel gravel initial
"""
_LL_ENDINGS = ("ed", "ing", "er", "ers")


# Verbs spelt -ize in American English, and their forms, take -ise in British English.
_IZE_STEMS = """
organ recogn real apolog priorit emphas critic summar minim util final author categor special
sympath social mobil stabil normal familiar memor hospital jeopard scrutin character visual
legal maxim optim capital commercial civil custom fertil general harmon immun item modern
neutral patron penal radical rational subsid symbol terror tranquil victim vandal agon
stigmat traumat criminal central standard energ fantas global human ideal industrial
institutional internal material mesmer national personal polar popular public revolution
sanit sensit steril synchron theor vocal individual contextual conceptual incentiv desensit
hypnot marginal sexual colon equal formal local natural demoral destabil decentral reorgan
steril epitom dramat trivial sensational glamor miniatur motor
"""

_IZE_ENDINGS = (
    ("ize", "ise"),
    ("izes", "ises"),
    ("ized", "ised"),
    ("izing", "ising"),
    ("ization", "isation"),
    ("izations", "isations"),
)


def _pairs(block: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in block.replace("\n", "|").split("|"):
        words = item.split(maxsplit=1)
        if len(words) == 2 and words[0] != words[1]:
            pairs[words[0].lower()] = words[1]
    return pairs


def _ize_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for stem in _IZE_STEMS.split():
        for american, british in _IZE_ENDINGS:
            forms[stem + american] = stem + british
    forms.update(
        {"analyze": "analyse", "analyzed": "analysed", "analyzing": "analysing"}
        | {"paralyze": "paralyse", "paralyzed": "paralysed", "catalyze": "catalyse"}
    )
    return forms


def _our_re_ll_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for british in _OUR_WORDS.split():
        american = british[:-3] + "or"
        for ending in _OUR_ENDINGS:
            forms[american + ending] = british + ending
    for british in _RE_WORDS.split():
        american = british[:-2] + "er"
        for ending in _RE_ENDINGS:
            forms[american + ("e" if ending == "d" else "") + ending] = british + ending
    for stem in _LL_STEMS.split():
        for ending in _LL_ENDINGS:
            forms[stem + ending] = stem + "l" + ending
    # Built forms that are not words, or are British too, are left out.
    return {
        american: british
        for american, british in forms.items()
        if american != british and american not in _BUILT_BUT_BRITISH
    }


# Forms the rules above would build that are correct British words.
_BUILT_BUT_BRITISH = frozenset({"humoral", "armorial", "rigorism", "laborite"})


MISSPELLINGS: dict[str, str] = _pairs(_MISSPELLINGS) | {
    wrong: right for wrong, right in _pairs(_MORE_MISSPELLINGS).items() if wrong != right
}
AMERICAN: dict[str, str] = _our_re_ll_forms() | _pairs(_AMERICAN) | _ize_forms()

# Terms of the trade the spelling check never questions, whatever its lists say.
DOMAIN_LEXICON: frozenset[str] = words(
    """
    send safeguarding senco sendco ehcp ehcps ehcna ofsted camhs cin cla lac iro pep peps
    mash lado plo sgo icpc rcpc co-ordinator coordinator multi-agency paediatrician
    paediatric programme judgement judgment practise practice licence enquiry enquiries
    whilst amongst learnt spelt dreamt burnt focussed fulfil travelled counselling wellbeing
    well-being neurodivergent neurodiverse autistic dyslexic dyspraxia dyscalculia makaton
    senior kinship fostering adoptive corporate s17 s20 s47 early-help signs-of-safety
    genogram ecomap chronology reunification
    """
)
