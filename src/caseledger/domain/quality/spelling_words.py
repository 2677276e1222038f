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
"""

# Verbs spelt -ize in American English, and their forms, take -ise in British English.
_IZE_STEMS = """
organ recogn real apolog priorit emphas critic summar minim util final author categor special
sympath social mobil stabil normal familiar memor hospital jeopard scrutin character visual
legal maxim optim capital commercial civil custom fertil general harmon immun item modern
neutral patron penal radical rational subsid symbol terror tranquil victim vandal agon
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


MISSPELLINGS: dict[str, str] = _pairs(_MISSPELLINGS)
AMERICAN: dict[str, str] = _pairs(_AMERICAN) | _ize_forms()

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
