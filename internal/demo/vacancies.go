package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"marshrut/internal/classifier"
	"marshrut/internal/org"
	"marshrut/internal/vacancy"
)

// VacancyLoader is where vacancies are written, inside the generation's
// transaction; store.Loader is one.
type VacancyLoader interface {
	UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error)
}

// job is a position an employer of a branch offers: its title as «Работа
// России» shows it, the sphere of activity, the least education, the usual
// salary in thousands of roubles a month (Kamchatka's, with the regional
// coefficient and northern allowances), the years of experience asked, the
// most work places one vacancy has, and how often it is offered.
type job struct {
	title    string
	sphere   string
	edu      vacancy.Education
	min, max int
	exp      int
	places   int
	weight   float64
	duty     string
}

// branch is the vacancies of a branch of the economy: about how many an
// employer has open, its usual schedule, and whether its work is seasonal.
type branch struct {
	perEmployer float64
	schedule    string
	seasonal    bool
	jobs        []job
}

// Spheres of «Работа России», as the crosswalk names them.
const (
	spWork      = "Рабочие специальности"
	spTransport = "Транспорт, автобизнес, логистика, склад, ВЭД"
	spAgri      = "Сельское хозяйство, экология, ветеринария"
	spFood      = "Пищевая промышленность"
	spIndustry  = "Производство"
	spMining    = "Добывающая промышленность"
	spEnergy    = "Электроэнергетика"
	spBuild     = "Строительство, ремонт, стройматериалы, недвижимость"
	spSales     = "Продажи, закупки, снабжение, торговля"
	spTourism   = "Туризм, гостиницы, рестораны"
	spIT        = "Информационные технологии, телекоммуникации, связь"
	spFinance   = "Банки, кредит, страхование, пенсионное обеспечение"
	spAccount   = "Бухгалтерия, налоги, управленческий учет"
	spState     = "Государственная служба, некоммерческие организации"
	spLaw       = "Юриспруденция"
	spEdu       = "Образование, наука"
	spMed       = "Здравоохранение и социальное обеспечение"
	spCulture   = "Искусство, культура и развлечения"
	spSport     = "Спорт, фитнес, салоны красоты"
	spService   = "Услуги населению, сервисное обслуживание"
	spUnskilled = "Работы, не требующие квалификации"
	spCommunal  = "ЖКХ, эксплуатация"
	spOffice    = "Административная работа, секретариат, АХО"
	spHR        = "Кадровая служба, управление персоналом"
	spSafety    = "Безопасность, службы охраны"
)

// Education requirements, short for the tables.
const (
	eduNone    = vacancy.EduNone
	eduGeneral = vacancy.EduGeneral
	eduSPO     = vacancy.EduSPO
	eduHigher  = vacancy.EduHigher
)

const (
	dayShift   = "Полный рабочий день"
	shifts     = "Сменный график"
	rotation   = "Вахтовый метод"
	partDay    = "Неполный рабочий день"
	fullTime   = "Полная занятость"
	partTime   = "Частичная занятость"
	seasonWork = "Сезонная"
)

// branches holds the vacancies of every ОКВЭД2 code of sectors, and of the
// schools, colleges and universities, which hire too.
var branches = map[string]branch{
	"03.11": {14, rotation, false, []job{
		{"Матрос", spTransport, eduGeneral, 90, 180, 0, 6, 5, "Работа в палубной команде промыслового судна: постановка и выборка орудий лова, швартовка, приёмка улова."},
		{"Обработчик рыбы и морепродуктов", spFood, eduNone, 80, 160, 0, 10, 6, "Разделка, мойка, сортировка и заморозка рыбы на борту судна."},
		{"Старший помощник капитана", spTransport, eduSPO, 220, 380, 3, 1, 1, "Несение ходовой вахты, организация грузовых работ и судовых учений."},
		{"Капитан промыслового судна", spTransport, eduHigher, 320, 550, 5, 1, 0.5, "Управление судном и промыслом, ответственность за безопасность экипажа."},
		{"Второй механик", spTransport, eduSPO, 190, 320, 2, 1, 1, "Техническая эксплуатация главного и вспомогательных двигателей судна."},
		{"Электромеханик судовой", spTransport, eduSPO, 160, 260, 1, 1, 1.2, "Обслуживание судового электрооборудования и средств автоматики."},
		{"Моторист (машинист) судовой", spTransport, eduSPO, 110, 200, 0, 2, 1.5, "Несение вахты в машинном отделении, обслуживание механизмов."},
		{"Механик рефрижераторных установок", spTransport, eduSPO, 170, 290, 1, 1, 0.8, "Обслуживание холодильных установок и морозильных аппаратов судна."},
		{"Мастер по добыче рыбы", spAgri, eduSPO, 160, 290, 2, 1, 1, "Организация промысла, подготовка и ремонт орудий лова."},
		{"Технолог рыбной продукции", spFood, eduSPO, 130, 230, 1, 1, 1, "Контроль технологии производства рыбной продукции на борту."},
		{"Повар судовой", spTourism, eduSPO, 100, 170, 1, 1, 0.8, "Приготовление пищи для экипажа судна."},
	}},
	"10.20": {11, shifts, true, []job{
		{"Обработчик рыбы", spFood, eduNone, 60, 110, 0, 15, 6, "Разделка, посол и укладка рыбы на береговом рыбоперерабатывающем заводе."},
		{"Рыбообработчик на путину", spFood, eduNone, 70, 130, 0, 20, 3, "Работа на линии переработки лососёвых в путину, июнь–сентябрь."},
		{"Технолог рыбного производства", spFood, eduSPO, 90, 150, 1, 1, 1, "Ведение технологического процесса, контроль качества сырья и продукции."},
		{"Мастер смены", spIndustry, eduSPO, 90, 140, 2, 1, 1, "Руководство сменой рабочих, учёт выпуска продукции."},
		{"Оператор линии производства рыбных консервов", spFood, eduGeneral, 70, 110, 0, 3, 1.5, "Работа на автоматической линии производства консервов."},
		{"Машинист холодильных установок", spIndustry, eduSPO, 90, 140, 1, 1, 1, "Обслуживание аммиачных холодильных установок и морозильных камер."},
		{"Лаборант химического анализа", spFood, eduSPO, 55, 80, 0, 1, 0.7, "Анализ сырья и готовой продукции в производственной лаборатории."},
		{"Электромонтёр по ремонту и обслуживанию электрооборудования", spWork, eduSPO, 80, 120, 1, 1, 0.8, "Ремонт и обслуживание электрооборудования цехов."},
		{"Слесарь-ремонтник", spWork, eduSPO, 80, 120, 1, 1, 1, "Ремонт технологического оборудования рыбоперерабатывающего завода."},
		{"Грузчик", spUnskilled, eduNone, 60, 90, 0, 3, 1, "Погрузка и разгрузка продукции, работа на складе готовой продукции."},
	}},
	"07.29": {12, rotation, false, []job{
		{"Горнорабочий подземный", spMining, eduGeneral, 110, 180, 0, 4, 2, "Подземные горные работы на руднике, крепление выработок."},
		{"Машинист погрузочно-доставочной машины", spMining, eduSPO, 140, 220, 1, 2, 1.5, "Управление погрузочно-доставочной машиной в подземных выработках."},
		{"Машинист бульдозера", spMining, eduSPO, 140, 210, 1, 1, 1, "Вскрышные и планировочные работы на карьере."},
		{"Водитель карьерного самосвала", spTransport, eduSPO, 130, 200, 1, 2, 1.5, "Перевозка горной массы на карьере; удостоверение тракториста-машиниста."},
		{"Горный мастер", spMining, eduSPO, 160, 250, 2, 1, 1, "Руководство горными работами на участке, контроль техники безопасности."},
		{"Маркшейдер", spMining, eduHigher, 150, 230, 2, 1, 0.6, "Маркшейдерское обеспечение горных работ, съёмка и учёт объёмов."},
		{"Геолог", spMining, eduHigher, 150, 250, 2, 1, 0.6, "Геологическое сопровождение добычи, опробование и документация."},
		{"Аппаратчик-гидрометаллург", spIndustry, eduSPO, 110, 170, 0, 2, 1, "Ведение процесса извлечения золота на золотоизвлекательной фабрике."},
		{"Электрогазосварщик", spWork, eduSPO, 120, 180, 1, 1, 1, "Сварка и резка металлоконструкций, ремонт горного оборудования."},
		{"Слесарь по ремонту горного оборудования", spWork, eduSPO, 110, 170, 1, 2, 1, "Ремонт и обслуживание горно-шахтного оборудования."},
		{"Повар", spTourism, eduSPO, 80, 110, 1, 1, 0.6, "Приготовление пищи в столовой вахтового посёлка."},
	}},
	"35.11": {9, shifts, false, []job{
		{"Электромонтёр по ремонту и обслуживанию электрооборудования", spEnergy, eduSPO, 80, 120, 1, 2, 2, "Обслуживание электрооборудования станции и подстанций."},
		{"Электромонтёр оперативно-выездной бригады", spEnergy, eduSPO, 85, 125, 1, 1, 1, "Оперативные переключения и устранение аварий в распределительных сетях."},
		{"Машинист котлов", spEnergy, eduSPO, 85, 120, 0, 2, 1.2, "Обслуживание паровых и водогрейных котлов ТЭЦ."},
		{"Инженер-энергетик", spEnergy, eduHigher, 110, 160, 2, 1, 1, "Планирование ремонтов, технический надзор за энергооборудованием."},
		{"Инженер релейной защиты и автоматики", spEnergy, eduHigher, 120, 170, 2, 1, 0.6, "Наладка и обслуживание устройств релейной защиты."},
		{"Слесарь по ремонту оборудования котельных", spWork, eduSPO, 80, 115, 1, 1, 1, "Ремонт котельного и вспомогательного оборудования."},
		{"Диспетчер энергосистемы", spEnergy, eduSPO, 85, 120, 2, 1, 0.6, "Оперативное управление режимами работы энергосистемы."},
		{"Оператор котельной", spCommunal, eduSPO, 70, 95, 0, 2, 1, "Обслуживание котлов поселковой котельной."},
		{"Электромонтёр по ремонту воздушных линий электропередачи", spEnergy, eduSPO, 90, 130, 1, 2, 1, "Ремонт и обслуживание воздушных линий 0,4–110 кВ."},
	}},
	"41.20": {7, dayShift, false, []job{
		{"Каменщик", spBuild, eduSPO, 80, 130, 1, 3, 1, "Кладка стен и перегородок из кирпича и блоков."},
		{"Бетонщик", spBuild, eduGeneral, 75, 120, 0, 3, 1, "Приготовление и укладка бетонной смеси, армирование."},
		{"Монтажник металлоконструкций", spBuild, eduSPO, 90, 140, 1, 2, 1, "Монтаж металлических конструкций зданий и сооружений."},
		{"Электрогазосварщик", spWork, eduSPO, 100, 150, 1, 2, 1.2, "Сварка металлоконструкций и трубопроводов на строительной площадке."},
		{"Машинист автокрана", spBuild, eduSPO, 100, 150, 2, 1, 0.8, "Управление автомобильным краном на строительных объектах."},
		{"Мастер строительных и монтажных работ", spBuild, eduSPO, 100, 150, 2, 1, 1, "Организация работ бригад на объекте, приёмка выполненных работ."},
		{"Прораб", spBuild, eduSPO, 130, 180, 3, 1, 0.8, "Руководство строительством объекта, ведение исполнительной документации."},
		{"Инженер производственно-технического отдела", spBuild, eduHigher, 110, 160, 2, 1, 0.6, "Подготовка исполнительной и сметной документации."},
		{"Сметчик", spBuild, eduSPO, 80, 120, 2, 1, 0.5, "Составление и проверка смет на строительно-монтажные работы."},
		{"Штукатур-маляр", spBuild, eduSPO, 70, 110, 0, 2, 1, "Штукатурные и малярные работы внутри и снаружи зданий."},
		{"Электромонтажник", spBuild, eduSPO, 90, 130, 1, 2, 1, "Монтаж внутренних электросетей и электрооборудования."},
		{"Разнорабочий", spUnskilled, eduNone, 55, 75, 0, 4, 1, "Подсобные работы на строительной площадке."},
	}},
	"45.20": {4, dayShift, false, []job{
		{"Автослесарь", spTransport, eduSPO, 70, 130, 1, 2, 3, "Диагностика и ремонт легковых и грузовых автомобилей."},
		{"Автоэлектрик", spTransport, eduSPO, 70, 120, 1, 1, 1, "Ремонт электрооборудования автомобилей."},
		{"Мастер-приёмщик", spTransport, eduSPO, 65, 95, 1, 1, 1, "Приём автомобилей в ремонт, оформление заказ-нарядов."},
		{"Шиномонтажник", spService, eduNone, 50, 80, 0, 2, 1, "Шиномонтаж и балансировка колёс."},
		{"Маляр по окраске автомобилей", spTransport, eduSPO, 70, 120, 1, 1, 0.7, "Подготовка и окраска кузовов автомобилей."},
		{"Продавец-консультант автозапчастей", spSales, eduGeneral, 50, 70, 0, 1, 1, "Консультирование покупателей и продажа запчастей."},
	}},
	"47.11": {6, shifts, false, []job{
		{"Продавец-кассир", spSales, eduGeneral, 48, 65, 0, 3, 4, "Обслуживание покупателей, работа на кассе, выкладка товара."},
		{"Продавец продовольственных товаров", spSales, eduGeneral, 48, 65, 0, 2, 2, "Продажа продовольственных товаров, контроль сроков годности."},
		{"Кассир", spSales, eduGeneral, 45, 60, 0, 2, 1, "Расчёт покупателей на кассе."},
		{"Товаровед", spSales, eduSPO, 60, 85, 1, 1, 1, "Приёмка товара, заказ у поставщиков, учёт остатков."},
		{"Администратор магазина", spSales, eduSPO, 65, 90, 1, 1, 1, "Организация работы смены, контроль выкладки и кассовой дисциплины."},
		{"Директор магазина", spSales, eduHigher, 100, 150, 3, 1, 0.3, "Руководство магазином, выполнение плана продаж."},
		{"Кладовщик", spTransport, eduGeneral, 55, 75, 0, 1, 1, "Приёмка, хранение и отпуск товаров со склада."},
		{"Пекарь", spFood, eduSPO, 55, 75, 0, 1, 0.6, "Выпечка хлеба и булочных изделий в пекарне магазина."},
		{"Грузчик", spUnskilled, eduNone, 45, 60, 0, 2, 1, "Разгрузка товара, перемещение по складу и торговому залу."},
	}},
	"49.41": {6, shifts, false, []job{
		{"Водитель автобуса", spTransport, eduGeneral, 80, 130, 1, 4, 3, "Перевозка пассажиров по городским и пригородным маршрутам; категория D."},
		{"Водитель грузового автомобиля", spTransport, eduGeneral, 80, 120, 1, 2, 2, "Перевозка грузов по Камчатскому краю; категория C."},
		{"Водитель-экспедитор", spTransport, eduGeneral, 70, 100, 1, 1, 1, "Доставка грузов клиентам, оформление сопроводительных документов."},
		{"Механик по выпуску транспортных средств", spTransport, eduSPO, 80, 110, 2, 1, 0.7, "Проверка технического состояния автомобилей перед выездом на линию."},
		{"Диспетчер автотранспорта", spTransport, eduSPO, 60, 85, 0, 1, 0.7, "Оформление путевых листов, контроль движения по маршрутам."},
		{"Слесарь по ремонту автомобилей", spTransport, eduSPO, 70, 110, 1, 1, 1, "Техническое обслуживание и ремонт автобусов и грузовиков."},
		{"Логист", spTransport, eduHigher, 70, 100, 1, 1, 0.5, "Планирование перевозок и маршрутов, работа с перевозчиками."},
	}},
	"52.22": {10, shifts, false, []job{
		{"Докер-механизатор", spTransport, eduSPO, 90, 150, 0, 4, 2, "Погрузочно-разгрузочные работы в морском порту с применением механизмов."},
		{"Стропальщик", spTransport, eduGeneral, 70, 100, 0, 2, 1, "Строповка и перемещение грузов кранами."},
		{"Крановщик портального крана", spTransport, eduSPO, 100, 150, 1, 1, 1, "Управление портальным краном при обработке судов."},
		{"Судокорпусник-ремонтник", spWork, eduSPO, 90, 140, 1, 2, 1, "Ремонт корпусов судов, замена листов обшивки и набора."},
		{"Слесарь-судоремонтник", spWork, eduSPO, 90, 140, 1, 2, 1, "Ремонт судовых механизмов и систем."},
		{"Электрогазосварщик", spWork, eduSPO, 100, 160, 1, 2, 1, "Сварка корпусных конструкций и трубопроводов судов."},
		{"Инженер по судоремонту", spTransport, eduHigher, 110, 160, 2, 1, 0.6, "Дефектация и организация ремонта судов."},
		{"Механик портового буксира", spTransport, eduSPO, 130, 200, 2, 1, 0.6, "Эксплуатация главных и вспомогательных механизмов буксира."},
		{"Матрос", spTransport, eduGeneral, 80, 130, 0, 2, 1, "Работа на судах портового флота."},
	}},
	"55.10": {4, shifts, false, []job{
		{"Администратор гостиницы", spTourism, eduSPO, 55, 75, 0, 1, 2, "Размещение гостей, бронирование, работа с кассой."},
		{"Горничная", spTourism, eduNone, 45, 60, 0, 2, 2, "Уборка номеров и мест общего пользования."},
		{"Повар", spTourism, eduSPO, 60, 90, 1, 1, 1, "Приготовление завтраков и блюд ресторана гостиницы."},
		{"Официант", spTourism, eduGeneral, 45, 65, 0, 2, 1, "Обслуживание гостей ресторана."},
		{"Менеджер по бронированию", spTourism, eduSPO, 55, 75, 1, 1, 0.7, "Работа с заявками туроператоров и гостей."},
		{"Рабочий по комплексному обслуживанию и ремонту зданий", spCommunal, eduGeneral, 50, 70, 0, 1, 0.7, "Мелкий ремонт сантехники, электрики и мебели."},
	}},
	"79.90": {3, dayShift, true, []job{
		{"Гид-экскурсовод", spTourism, eduSPO, 60, 110, 1, 2, 2, "Проведение экскурсий к вулканам, гейзерам и на морские прогулки."},
		{"Менеджер по туризму", spTourism, eduSPO, 60, 90, 1, 1, 1.5, "Подбор и продажа туров по Камчатке, работа с клиентами."},
		{"Инструктор-проводник", spSport, eduGeneral, 70, 120, 1, 2, 1.5, "Сопровождение туристических групп в многодневных походах."},
		{"Водитель вездехода", spTransport, eduGeneral, 80, 130, 2, 1, 0.7, "Доставка туристов на маршруты на вездеходе; удостоверение тракториста-машиниста."},
		{"Повар", spTourism, eduSPO, 70, 100, 1, 1, 0.6, "Приготовление пищи в туристическом лагере."},
	}},
	"56.10": {4, shifts, false, []job{
		{"Повар", spTourism, eduSPO, 60, 90, 1, 2, 3, "Приготовление блюд горячего и холодного цеха."},
		{"Кондитер", spTourism, eduSPO, 60, 85, 1, 1, 1, "Приготовление десертов и кондитерских изделий."},
		{"Официант", spTourism, eduGeneral, 45, 65, 0, 2, 2, "Обслуживание гостей ресторана."},
		{"Бармен", spTourism, eduGeneral, 50, 70, 0, 1, 1, "Приготовление напитков, обслуживание гостей за барной стойкой."},
		{"Су-шеф", spTourism, eduSPO, 80, 120, 3, 1, 0.5, "Организация работы кухни, контроль качества блюд."},
		{"Администратор зала", spTourism, eduSPO, 55, 75, 1, 1, 0.7, "Встреча гостей, организация работы официантов."},
		{"Мойщик посуды", spUnskilled, eduNone, 40, 55, 0, 1, 1, "Мытьё посуды и кухонного инвентаря."},
	}},
	"62.01": {3, dayShift, false, []job{
		{"Программист", spIT, eduHigher, 90, 160, 1, 1, 2, "Разработка и сопровождение информационных систем заказчиков."},
		{"Программист 1С", spIT, eduHigher, 100, 170, 2, 1, 1.5, "Доработка конфигураций 1С:Предприятие, обмены данными."},
		{"Разработчик программного обеспечения", spIT, eduHigher, 110, 180, 2, 1, 1, "Разработка серверной части и веб-интерфейсов."},
		{"Системный администратор", spIT, eduSPO, 70, 110, 1, 1, 1.5, "Обслуживание серверов, сетей и рабочих мест пользователей."},
		{"Тестировщик", spIT, eduSPO, 70, 100, 0, 1, 0.7, "Тестирование программного обеспечения, описание ошибок."},
		{"Специалист технической поддержки", spIT, eduSPO, 55, 75, 0, 1, 1, "Консультирование пользователей, решение обращений."},
	}},
	"61.10": {4, shifts, false, []job{
		{"Инженер связи", spIT, eduHigher, 80, 120, 1, 1, 1.5, "Эксплуатация оборудования связи и сетей передачи данных."},
		{"Монтажник связи-кабельщик", spIT, eduSPO, 65, 95, 0, 2, 1.5, "Прокладка и монтаж кабелей связи, подключение абонентов."},
		{"Электромонтёр линейных сооружений электросвязи", spIT, eduSPO, 65, 95, 0, 1, 1, "Обслуживание линейных сооружений связи."},
		{"Специалист по обслуживанию абонентов", spIT, eduGeneral, 45, 60, 0, 2, 1.5, "Консультирование и подключение абонентов в офисе продаж."},
		{"Инженер по эксплуатации сетей передачи данных", spIT, eduHigher, 85, 130, 2, 1, 0.7, "Настройка и мониторинг магистральной сети оператора."},
	}},
	"64.19": {3, dayShift, false, []job{
		{"Специалист по обслуживанию клиентов", spFinance, eduSPO, 55, 75, 0, 2, 2, "Консультирование клиентов, открытие счетов и вкладов."},
		{"Кредитный специалист", spFinance, eduHigher, 60, 85, 1, 1, 1, "Оформление кредитов физическим лицам."},
		{"Кассир-операционист", spFinance, eduSPO, 50, 70, 0, 1, 1, "Кассовое обслуживание клиентов."},
		{"Экономист", spFinance, eduHigher, 70, 100, 1, 1, 0.7, "Экономический анализ, подготовка отчётности."},
		{"Бухгалтер", spAccount, eduSPO, 65, 90, 2, 1, 0.7, "Ведение бухгалтерского учёта операций отделения."},
	}},
	"84.11": {4, dayShift, false, []job{
		{"Главный специалист-эксперт", spState, eduHigher, 65, 90, 1, 1, 2, "Подготовка проектов документов, работа с обращениями граждан."},
		{"Консультант", spState, eduHigher, 75, 100, 2, 1, 1, "Подготовка аналитических материалов и нормативных актов."},
		{"Юрисконсульт", spLaw, eduHigher, 70, 100, 1, 1, 1, "Правовая экспертиза документов, представительство в суде."},
		{"Бухгалтер", spAccount, eduSPO, 65, 90, 2, 1, 1, "Бюджетный учёт, расчёт заработной платы."},
		{"Специалист по кадрам", spHR, eduSPO, 60, 80, 1, 1, 0.7, "Кадровое делопроизводство, воинский учёт."},
		{"Делопроизводитель", spOffice, eduSPO, 50, 65, 0, 1, 0.7, "Регистрация документов, ведение архива."},
		{"Водитель служебного автомобиля", spTransport, eduGeneral, 55, 75, 3, 1, 0.5, "Перевозка сотрудников на служебном автомобиле."},
	}},
	"85.11": {4, dayShift, false, []job{
		{"Воспитатель", spEdu, eduSPO, 50, 75, 0, 2, 3, "Воспитательно-образовательная работа с детьми дошкольного возраста."},
		{"Младший воспитатель", spEdu, eduGeneral, 40, 55, 0, 2, 2, "Помощь воспитателю, уход за детьми, поддержание порядка в группе."},
		{"Музыкальный руководитель", spEdu, eduSPO, 50, 70, 0, 1, 0.7, "Музыкальные занятия и праздники с детьми."},
		{"Инструктор по физической культуре", spEdu, eduSPO, 50, 70, 0, 1, 0.7, "Физкультурные занятия и спортивные праздники."},
		{"Педагог-психолог", spEdu, eduHigher, 55, 75, 0, 1, 0.7, "Психологическое сопровождение детей и консультирование родителей."},
		{"Учитель-логопед", spEdu, eduHigher, 55, 80, 0, 1, 0.7, "Коррекция речи детей дошкольного возраста."},
		{"Повар", spTourism, eduSPO, 50, 65, 1, 1, 0.7, "Приготовление пищи для детей по меню."},
	}},
	"86.10": {16, shifts, false, []job{
		{"Врач-терапевт участковый", spMed, eduHigher, 150, 250, 0, 2, 2, "Приём пациентов на участке, вызовы на дом, диспансеризация."},
		{"Врач-педиатр участковый", spMed, eduHigher, 150, 250, 0, 2, 1.5, "Наблюдение детей участка, профилактические осмотры."},
		{"Врач-хирург", spMed, eduHigher, 170, 280, 1, 1, 1, "Оказание плановой и экстренной хирургической помощи."},
		{"Врач-анестезиолог-реаниматолог", spMed, eduHigher, 180, 300, 1, 1, 0.8, "Анестезиологическое обеспечение операций, интенсивная терапия."},
		{"Медицинская сестра палатная", spMed, eduSPO, 75, 110, 0, 3, 2, "Уход за пациентами стационара, выполнение назначений врача."},
		{"Медицинская сестра процедурной", spMed, eduSPO, 75, 110, 0, 1, 1, "Инъекции, забор крови, постановка систем."},
		{"Медицинская сестра участковая", spMed, eduSPO, 75, 105, 0, 2, 1, "Патронаж, помощь врачу на приёме."},
		{"Фельдшер скорой медицинской помощи", spMed, eduSPO, 90, 140, 0, 3, 1.5, "Оказание скорой медицинской помощи на вызовах."},
		{"Фельдшер фельдшерско-акушерского пункта", spMed, eduSPO, 90, 140, 0, 1, 1, "Оказание первичной помощи жителям села."},
		{"Акушерка", spMed, eduSPO, 75, 110, 0, 1, 0.6, "Наблюдение беременных, помощь при родах."},
		{"Рентгенолаборант", spMed, eduSPO, 70, 100, 0, 1, 0.5, "Проведение рентгенологических исследований."},
		{"Медицинский лабораторный техник", spMed, eduSPO, 65, 95, 0, 1, 0.6, "Выполнение клинических лабораторных исследований."},
		{"Санитар", spMed, eduNone, 45, 60, 0, 2, 1, "Уборка помещений, помощь в транспортировке пациентов."},
		{"Водитель автомобиля скорой медицинской помощи", spTransport, eduGeneral, 70, 95, 3, 2, 0.7, "Управление автомобилем скорой помощи, помощь бригаде."},
	}},
	"47.73": {3, shifts, false, []job{
		{"Фармацевт", spMed, eduSPO, 60, 85, 0, 1, 3, "Отпуск лекарственных препаратов, консультирование покупателей."},
		{"Провизор", spMed, eduHigher, 75, 100, 1, 1, 1, "Фармацевтическое консультирование, приёмка и контроль лекарств."},
		{"Заведующий аптекой", spMed, eduHigher, 90, 130, 3, 1, 0.4, "Руководство аптекой, заказ товара, отчётность."},
	}},
	"88.10": {5, dayShift, false, []job{
		{"Социальный работник", spMed, eduGeneral, 45, 65, 0, 3, 3, "Помощь пожилым людям на дому: покупка продуктов, лекарств, уборка."},
		{"Специалист по социальной работе", spMed, eduHigher, 55, 75, 0, 1, 1, "Выявление нуждающихся, оформление социального обслуживания."},
		{"Помощник по уходу", spMed, eduGeneral, 45, 60, 0, 2, 1, "Уход за маломобильными гражданами."},
		{"Психолог", spMed, eduHigher, 55, 75, 0, 1, 0.5, "Психологическая помощь получателям социальных услуг."},
		{"Медицинская сестра", spMed, eduSPO, 60, 80, 0, 1, 0.7, "Медицинское сопровождение проживающих."},
	}},
	"01.41": {4, dayShift, true, []job{
		{"Тракторист-машинист сельскохозяйственного производства", spAgri, eduSPO, 60, 90, 1, 2, 2, "Работа на тракторе, заготовка кормов, обработка полей."},
		{"Оператор животноводческих комплексов", spAgri, eduGeneral, 50, 70, 0, 2, 1.5, "Кормление и уход за животными, машинное доение."},
		{"Зоотехник", spAgri, eduSPO, 60, 80, 1, 1, 0.7, "Зоотехнический учёт, составление рационов кормления."},
		{"Ветеринарный врач", spAgri, eduHigher, 70, 100, 1, 1, 0.7, "Лечение и профилактика болезней животных."},
		{"Агроном", spAgri, eduHigher, 70, 100, 1, 1, 0.7, "Организация выращивания картофеля и овощей открытого грунта."},
		{"Механик сельскохозяйственной техники", spAgri, eduSPO, 65, 90, 2, 1, 0.7, "Ремонт и обслуживание тракторов и сельскохозяйственных машин."},
	}},
	"90.01": {3, dayShift, false, []job{
		{"Артист драмы", spCulture, eduSPO, 50, 75, 0, 1, 1, "Участие в спектаклях и концертах."},
		{"Концертмейстер", spCulture, eduSPO, 50, 70, 0, 1, 1, "Музыкальное сопровождение репетиций и выступлений."},
		{"Звукооператор", spCulture, eduSPO, 50, 70, 1, 1, 1, "Звуковое сопровождение мероприятий."},
		{"Руководитель кружка", spCulture, eduSPO, 45, 60, 0, 1, 1.5, "Работа творческого коллектива, подготовка выступлений."},
		{"Библиотекарь", spCulture, eduSPO, 45, 60, 0, 1, 1, "Обслуживание читателей, проведение мероприятий."},
		{"Культорганизатор", spCulture, eduSPO, 45, 60, 0, 1, 1, "Организация и проведение культурно-массовых мероприятий."},
	}},
	"93.11": {3, dayShift, false, []job{
		{"Тренер-преподаватель", spSport, eduSPO, 55, 80, 0, 2, 3, "Учебно-тренировочные занятия с детьми и подростками."},
		{"Инструктор по физической культуре", spSport, eduSPO, 50, 70, 0, 1, 1, "Проведение физкультурно-оздоровительных занятий."},
		{"Инструктор-методист", spSport, eduHigher, 55, 75, 1, 1, 0.7, "Методическое обеспечение тренировочного процесса."},
	}},
	"96.02": {2, shifts, false, []job{
		{"Парикмахер", spSport, eduSPO, 50, 90, 0, 2, 3, "Стрижки, окрашивание и укладки для женщин и мужчин."},
		{"Мастер маникюра", spSport, eduSPO, 45, 80, 0, 1, 1.5, "Маникюр, педикюр, покрытие гель-лаком."},
		{"Косметик", spSport, eduSPO, 55, 100, 1, 1, 0.7, "Косметические процедуры по уходу за лицом."},
		{"Администратор салона", spSport, eduGeneral, 45, 60, 0, 1, 0.7, "Запись клиентов, расчёты, порядок в салоне."},
	}},
	// Schools, colleges and universities hire teachers all year round.
	"85.14": {2, dayShift, false, []job{
		{"Учитель математики", spEdu, eduHigher, 70, 100, 0, 1, 2, "Преподавание математики в 5–11 классах."},
		{"Учитель русского языка и литературы", spEdu, eduHigher, 70, 100, 0, 1, 2, "Преподавание русского языка и литературы."},
		{"Учитель английского языка", spEdu, eduHigher, 70, 100, 0, 1, 1.5, "Преподавание английского языка во 2–11 классах."},
		{"Учитель начальных классов", spEdu, eduSPO, 65, 95, 0, 1, 2, "Обучение и воспитание учащихся 1–4 классов."},
		{"Учитель физики", spEdu, eduHigher, 70, 100, 0, 1, 1, "Преподавание физики в 7–11 классах."},
		{"Педагог-психолог", spEdu, eduHigher, 60, 80, 0, 1, 0.7, "Психологическое сопровождение учащихся."},
		{"Педагог дополнительного образования", spEdu, eduSPO, 50, 70, 0, 1, 1, "Занятия кружков технического и художественного творчества."},
		{"Советник директора по воспитанию", spEdu, eduHigher, 60, 80, 0, 1, 0.5, "Организация воспитательной работы и детских объединений."},
	}},
	"85.21": {3, dayShift, false, []job{
		{"Преподаватель специальных дисциплин", spEdu, eduHigher, 65, 95, 2, 1, 2, "Преподавание профессионального цикла по специальностям колледжа."},
		{"Мастер производственного обучения", spEdu, eduSPO, 60, 85, 2, 1, 2, "Учебная практика студентов в мастерских, подготовка к демонстрационному экзамену."},
		{"Преподаватель математики", spEdu, eduHigher, 60, 85, 0, 1, 1, "Преподавание математики студентам первого и второго курса."},
		{"Воспитатель общежития", spEdu, eduSPO, 45, 60, 0, 1, 0.7, "Воспитательная работа со студентами, проживающими в общежитии."},
	}},
	"85.22": {3, dayShift, false, []job{
		{"Доцент кафедры", spEdu, eduHigher, 80, 120, 3, 1, 2, "Преподавание дисциплин кафедры, научная работа."},
		{"Старший преподаватель", spEdu, eduHigher, 65, 95, 2, 1, 2, "Проведение лекций и практических занятий."},
		{"Инженер лаборатории", spEdu, eduHigher, 55, 80, 0, 1, 1, "Подготовка и обслуживание лабораторного оборудования."},
		{"Специалист по учебно-методической работе", spEdu, eduHigher, 50, 70, 0, 1, 1, "Подготовка расписания и учебных планов."},
	}},
}

// common are the positions any organisation may be looking for.
var common = []job{
	{"Бухгалтер", spAccount, eduSPO, 60, 90, 2, 1, 2, "Первичная документация, расчёты с поставщиками, отчётность."},
	{"Специалист по охране труда", spSafety, eduHigher, 65, 95, 1, 1, 1, "Инструктажи, специальная оценка условий труда, расследование несчастных случаев."},
	{"Уборщик служебных помещений", spUnskilled, eduNone, 35, 45, 0, 1, 1.5, "Уборка кабинетов и мест общего пользования."},
	{"Охранник", spSafety, eduGeneral, 50, 70, 0, 1, 1, "Пропускной режим, обход территории; удостоверение частного охранника."},
	{"Водитель автомобиля", spTransport, eduGeneral, 60, 90, 1, 1, 1.5, "Перевозка сотрудников и грузов организации; категория B, C."},
	{"Специалист по кадрам", spHR, eduSPO, 55, 80, 1, 1, 0.7, "Кадровое делопроизводство, приём и увольнение сотрудников."},
}

// fallback is the branch of an organisation whose ОКВЭД2 the table does not know.
var fallback = branch{perEmployer: 2, schedule: dayShift, jobs: common}

// vacancyStream picks the random stream of the vacancies: another stream of
// the same seed than the people's, so that adding vacancies changes no person.
const vacancyStream = 0x6a09e667f3bcc909

// GenerateVacancies writes the open vacancies of employers (and of schools,
// colleges and universities, when given) through l and returns how many it
// wrote: on average a few for each organisation, more in the fishing fleet,
// fish processing and hospitals, with titles typical of each branch, salaries
// of Kamchatka and their links to the specialties of the classifier. The same
// seed and organisations give the same vacancies.
func GenerateVacancies(ctx context.Context, l VacancyLoader, opt Options, employers []org.Organisation) (int, error) {
	if opt.Region == "" {
		opt.Region = "41"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		return 0, err
	}
	m, err := vacancy.NewMatcher(b.Specialties)
	if err != nil {
		return 0, err
	}
	vg := &vacancyGen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^vacancyStream)), remote: map[string]bool{}}
	for _, ms := range kamchatka {
		for _, v := range ms.villages {
			vg.remote[v] = ms.remote
		}
	}
	n := 0
	var batch []vacancy.Item
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := l.UpsertVacancies(batch)
		batch = batch[:0]
		return err
	}
	for i, e := range employers {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		for _, v := range vg.employer(e) {
			if err := v.Validate(); err != nil {
				return n, fmt.Errorf("demo: vacancy %q of %s: %w", v.Title, e.Name, err)
			}
			batch = append(batch, vacancy.Item{Vacancy: v, Links: m.Links(v)})
			n++
		}
		if len(batch) >= batchSize/10 {
			if err := flush(); err != nil {
				return n, err
			}
		}
		if opt.Progress != nil && (i+1)%100 == 0 {
			opt.Progress("вакансии", i+1, len(employers))
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	if opt.Progress != nil {
		opt.Progress("вакансии", len(employers), len(employers))
	}
	return n, nil
}

// vacancies writes the vacancies of the region's employers, schools, colleges
// and universities, when the loader can take them.
func (g *gen) vacancies() error {
	vl, ok := g.load.(VacancyLoader)
	if !ok {
		return nil // a loader of people only: the region has no vacancies
	}
	orgs := make([]org.Organisation, 0, len(g.employers)+len(g.edu)+g.sum.Schools)
	for _, e := range g.employers {
		orgs = append(orgs, e.Organisation)
	}
	for _, e := range g.edu {
		orgs = append(orgs, e.Organisation)
	}
	for _, list := range g.schools {
		for _, s := range list {
			orgs = append(orgs, s.Organisation)
		}
	}
	n, err := GenerateVacancies(g.ctx, vl, g.opt, orgs)
	g.sum.Vacancies = n
	return err
}

type vacancyGen struct {
	opt    Options
	rng    *rand.Rand
	remote map[string]bool // settlement → no road to the regional centre
}

var kamchatkaTime = time.FixedZone("Камчатка", 12*3600)

// employer makes the open vacancies of one organisation.
func (vg *vacancyGen) employer(e org.Organisation) []vacancy.Vacancy {
	br, ok := branches[e.OKVED]
	if !ok {
		br = fallback
	}
	// Draws between a half and two and a half times the branch's figure, at
	// least one; a position drawn twice adds work places instead, so that an
	// employer ends with about the figure of distinct vacancies.
	count := max(1, int(math.Round(br.perEmployer*(0.5+2*vg.rng.Float64()))))
	weights := make([]float64, len(br.jobs))
	for i, j := range br.jobs {
		weights[i] = j.weight
	}
	// Remote settlements pay a higher regional coefficient.
	pay := 1.0
	if settlement, _, _ := strings.Cut(e.Address, ","); vg.remote[settlement] {
		pay = 1.12
	}
	byTitle := map[string]int{}
	var out []vacancy.Vacancy
	for k := 0; k < count; k++ {
		var j job
		for try := 0; try < 3; try++ {
			j = br.jobs[vg.weighted(weights)]
			if ok && vg.rng.Float64() < 0.08 {
				j = common[vg.rng.IntN(len(common))]
			}
			if _, dup := byTitle[j.title]; !dup {
				break
			}
		}
		// One vacancy a position: a position drawn again adds work places.
		if i, dup := byTitle[j.title]; dup {
			if out[i].WorkPlaces < j.places {
				out[i].WorkPlaces++
			}
			continue
		}
		byTitle[j.title] = len(out)
		out = append(out, vg.vacancy(e, br, j, pay))
	}
	return out
}

func (vg *vacancyGen) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	r := vg.rng.Float64() * total
	for i, x := range w {
		r -= x
		if r < 0 {
			return i
		}
	}
	return len(w) - 1
}

func (vg *vacancyGen) vacancy(e org.Organisation, br branch, j job, pay float64) vacancy.Vacancy {
	r := vg.rng
	v := vacancy.Vacancy{
		ID:             vg.uuid(),
		Source:         vacancy.Trudvsem,
		RegionCode:     vg.opt.Region,
		KladrCode:      vg.opt.Region + "00000000000",
		EmployerName:   e.Name,
		EmployerINN:    e.INN,
		EmployerOGRN:   e.OGRN,
		Title:          j.title,
		Specialisation: j.sphere,
		Currency:       "RUB",
		Schedule:       br.schedule,
		Employment:     fullTime,
		Education:      j.edu,
		Experience:     fmt.Sprint(j.exp),
		Duty:           j.duty,
		Requirements:   requirements(j),
		Address:        e.Address,
		Lat:            e.Lat,
		Lon:            e.Lon,
		WorkPlaces:     1 + r.IntN(j.places),
	}
	// Salaries in thousands, rounded to five hundred roubles: a fifth of the
	// offers name no upper bound, some a single figure.
	v.SalaryMin = roundSalary(float64(j.min) * pay * (0.9 + 0.2*r.Float64()))
	switch x := r.Float64(); {
	case x < 0.2:
	case x < 0.35:
		v.SalaryMax = v.SalaryMin
	default:
		v.SalaryMax = max(v.SalaryMin, roundSalary(float64(j.max)*pay*(0.9+0.2*r.Float64())))
	}
	switch x := r.Float64(); {
	case br.seasonal && x < 0.5:
		v.Employment = seasonWork
	case br.schedule != rotation && x < 0.06:
		v.Schedule, v.Employment = partDay, partTime
	case br.schedule == dayShift && x < 0.15:
		v.Schedule = shifts
	}
	// Published within the last four months, some changed since, a tenth
	// already taken down; a tenth entered by hand in Marshrut by the employer.
	v.CreatedAt = time.Date(vg.opt.Now.Year(), vg.opt.Now.Month(), vg.opt.Now.Day(), 8+r.IntN(10), r.IntN(60), r.IntN(60), 0, kamchatkaTime).
		AddDate(0, 0, -1-r.IntN(120))
	v.ModifiedAt = v.CreatedAt
	if days := int(vg.opt.Now.Sub(v.CreatedAt).Hours() / 24); days > 1 && r.Float64() < 0.4 {
		v.ModifiedAt = v.CreatedAt.Add(time.Duration(1+r.IntN(days-1)) * 24 * time.Hour)
	}
	v.Closed = r.Float64() < 0.1
	if r.Float64() < 0.1 || e.OGRN == "" {
		v.Source = vacancy.Manual
	} else {
		v.URL = "https://trudvsem.ru/vacancy/card/" + e.OGRN + "/" + v.ID
	}
	return v
}

// uuid makes a random UUID (version 4) from the generator, so that the same
// seed gives the same ids.
func (vg *vacancyGen) uuid() string {
	hi, lo := vg.rng.Uint64(), vg.rng.Uint64()
	hi = hi&^(0xf<<12) | 0x4<<12
	lo = lo&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

func roundSalary(thousands float64) int {
	return int(math.Round(thousands*2)) * 500
}

// requirements writes the education and experience a job asks for.
func requirements(j job) string {
	var b strings.Builder
	switch j.edu {
	case eduGeneral:
		b.WriteString("Образование не ниже среднего общего.")
	case eduSPO:
		b.WriteString("Среднее профессиональное образование по профилю.")
	case eduHigher:
		b.WriteString("Высшее образование по профилю.")
	default:
		b.WriteString("Без требований к образованию, обучение на рабочем месте.")
	}
	switch {
	case j.exp == 0:
		b.WriteString(" Рассматриваем выпускников без опыта работы.")
	default:
		fmt.Fprintf(&b, " Опыт работы от %d %s.", j.exp, years(j.exp))
	}
	return b.String()
}

// years is the plural of «год» after n.
func years(n int) string {
	switch {
	case n%10 == 1 && n%100 != 11:
		return "года"
	default:
		return "лет"
	}
}
