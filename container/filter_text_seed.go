package container

import (
	"strings"
	"sync"
)

// textSeed is the built-in seed list of the text transform
// (docs/FORMAT.md, "Seeded frames"): a frame of kind textSeeded starts its
// run's dictionary with the first words of this list, in this order,
// before the words it adds from itself, so a text gets codes for common
// English words without storing them. The list is part of the format:
// changing it changes what every seeded frame decodes to (TestTextSeed
// pins its checksum).
//
// It holds the 1000 most frequent lower-case words of 2 or more ASCII
// letters (ties in first-seen order) in four public texts outside the
// test corpus: Mark Twain's "The Adventures of Tom Sawyer" and Voltaire's
// "Candide" (the copies in the testdata of klauspost/compress and
// golang.org/x/text) and the GNU GPL 3 and Apache 2.0 license texts.
// Words written only with a capital (names) are left out by counting
// lower-case occurrences alone.
const textSeed = `
the and to of it was that in he you his with for had they on but him as
said or not at this be she so all by up her out were there is would ll
me if from an then their time don now one no any do could them de got
have down when about been boys we work what more upon into little other
under over see just did know again boy away go never can like back le
ain come came went your some et get way la began long too two himself
only off such ever through before good night tell re here right old made
which my its around il les found thought are took after ve let day last
say very how reckon going thing where moment than place always heart
make head take will un along great face dead something once every school
want house who might seemed still enough much new hand must des anything
won man put while well half another till done three village en stood us
without each water find turned mind home keep even eyes these may qui
give use told em because dans knew nothing far wouldn que door look next
anybody covered talk looked lay poor think town presently men gone didn
same qu own most soon whole mean things better sat fell awful cave est
du does saw being lui book first ne une felt hands many gave girl tried
small hear body maybe morning world terms shall code those turn almost
copyright form try within lost sleep ce rest hope part hour followed
money brought tout license themselves voice aunt air days white run
together left course silence son behind trouble wish ground window fire
should patent has looking moved young light people matter heard tait dit
pas life dark yet sure eye free stopped side copy children seen reached
name started feet toward getting word end sound everything against widow
whispered full few mighty interest knife used master plus room bed
breath times wanted bet itself candle until object version high hard
kind close treasure river church grew avait tre se vous cat fence wait
why ten feel making words pour software broke both glad kept means
anyway rose source couldn smoke lady open minute either business foot
line late whose near ready herself dropped set dream bien conditions
convey also else deep believe though our stand clothes called passed box
sir notice five entered rights stay kill leave provided order among
mouth coming less sort afraid lie company cry ch chance bout au program
distance alone round help warn blue big spring tree idea material
breakfast tears everybody hill car further woods comes best je occurred
girls doing instant child low bit fool beyond above show hardly certain
point midnight meant talking since section par dog saying says least
hadn minutes soul yes drew stepped held ran bad pretty hundred burst
public sign ear received fine given showed notices died pirates ha hold
conscience discovered week care struck between spirit shook middle call
continued added awhile bear happy camp below grave makes third court
broken auntie nobody tick later pirate gonde rent apply product ago
women afternoon noticed street rock pocket hair faces mother became
somebody human arms particular six twenty direction corner none death
wall die country nature news names listened start cross watch adventure
secret charge nted modified tavern works ils elle modify including years
learn suffering ways offered black attention strong dressed yourself
crying filled seem melancholy stop alley trying standing slow result
effect thousand sun happened nice sitting asleep effort floor general
agreed lit finally hung speak fall cold raft lights sprang hours watched
ask remember minister stir follow group hid mile offer shore whether
otherwise non es si copies additional sometimes quiet hearted tongue age
stared main appeared outside lips trees considered ling suddenly piece
couple four law miles wondered closed steps wandered places comfort
clock worth sermon ones nor wide indeed wished seized doctor lads blood
bury arm file island ferryboat skiff te ses nous sur peu versions
warranty party permissions talked answer shouted lad board having heads
jacket bound gratitude summer tied hot crowd yards waiting besides fun
sight forth power peace fight creature glanced joy drop cut trifle front
red tickets ears ceased fast finished hole fair usual read act lead
entirely thinking carry gathered nearly dig year noon live circus
parties fear return daylight exclaimed mum page promised cause tools fut
teau avec fait homme deux mais licenses permission conveying really
account lifted disappeared hit lick hurt play supper rather asked
searched wind sorry safe carried short nose pause threw cautiously fetch
gay bent legs remained change met yellow spirits catch pity knees hang
sick dreams dismal laid towel shut satisfactory clean vast comrade fish
weeks speech forward sank bell taking others grateful beetle walked
tired wild distress slept swear rotten schoolhouse manner friends luck
whisper waited owner reason crept need murder pick granted thunder
however different marks dollars clay beau baron cette raison sans sont
mieux leurs ni distribute applicable available control contributor
therefore service danger brother swimming shot touch large stick
excitement doubt hat neither toe tin am answered honest fixed taken gray
eyed present longer cried wasn rain darkness log vague dim family prayer
verses chose begin during seat class easy sharp required lawyer likely
surprise grass fly grand moving quickly flew willing quick nevertheless
love break following empty becuz devil possession forever hide bug twice
forest stillness dono dreadful raised worse table joined fact arrived
purpose bar shortly ghosts pipe bark except funeral rich widder receive
jamais tr comme anabaptiste distribution propagate modifications include
liability story state pride snatched truth evening opportunity simple
uncomfortable thread thrust troubles roof stranger simply bright dare
hate whitewash brush nine hollow freedom ahead stump swept note watching
interested tackle worked kite twelve glass considerable circumstances
entire delivered second friend fingers slipped perfectly listening tear
gloom poured spread forget pin pupils spot
`

// textSeedWords returns the words of textSeed, by seed number.
var textSeedWords = sync.OnceValue(func() [][]byte {
	var words [][]byte
	for _, w := range strings.Fields(textSeed) {
		words = append(words, []byte(w))
	}
	return words
})
